// Measures verified Xid injections per second into the real /dev/kmsg, from a mount namespace of our own
// (run as root): dotnet run -c Release --project benchmarks/FaultAgent.Benchmarks -- [count]
using System.Diagnostics;
using System.Globalization;
using FaultAgent.Gpus;
using FaultAgent.Injection;
using FaultAgent.Xids;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var start = new ProcessStartInfo("unshare") { UseShellExecute = false };
foreach (var a in new[] { "--mount", "--propagation", "private", "sleep", "infinity" })
{
    start.ArgumentList.Add(a);
}

using var target = Process.Start(start)!;
var own = new FileInfo("/proc/self/ns/mnt").LinkTarget;
var deadline = Stopwatch.StartNew();
while (new FileInfo($"/proc/{target.Id}/ns/mnt").LinkTarget == own && deadline.Elapsed < TimeSpan.FromSeconds(30))
{
    Thread.Yield();
}

try
{
    using var hostNamespace = new HostMountNamespace(target.Id);
    using var kernelLog = new DevKmsgKernelLog(hostNamespace, TimeProvider.System);
    var builder = new XidLineBuilder(XidCatalog.Default);
    var gpu = new GpuInfo(0, "0000:3b:00.0", "0000:3b:00", "GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b", "bench", [], "bench");
    var run = Guid.NewGuid().ToString("N");
    var lines = Enumerable.Range(0, count)
        .Select(i => builder.BuildXid(new XidLineRequest { Xid = 13, Gpu = gpu, Message = string.Create(CultureInfo.InvariantCulture, $"benchmark {run} #{i}") }).Records)
        .ToList();
    await kernelLog.WriteVerifiedAsync(builder.BuildXid(new XidLineRequest { Xid = 13, Gpu = gpu, Message = "benchmark warm-up " + run }).Records, CancellationToken.None);

    var sequential = Stopwatch.StartNew();
    foreach (var records in lines.Take(count / 2))
    {
        await kernelLog.WriteVerifiedAsync(records, CancellationToken.None);
    }

    sequential.Stop();
    var concurrent = Stopwatch.StartNew();
    await Task.WhenAll(lines.Skip(count / 2).Select(r => kernelLog.WriteVerifiedAsync(r, CancellationToken.None)));
    concurrent.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"sequential: {count / 2} verified writes in {sequential.Elapsed.TotalMilliseconds:0} ms = {count / 2 / sequential.Elapsed.TotalSeconds:0}/s"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"concurrent: {count - count / 2} verified writes in {concurrent.Elapsed.TotalMilliseconds:0} ms = {(count - count / 2) / concurrent.Elapsed.TotalSeconds:0}/s"));
}
finally
{
    target.Kill();
}
