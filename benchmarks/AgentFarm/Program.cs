// Runs N instances of the real FaultAgent app in this one process (each its own WebApplication, settings, state
// directory and Kestrel endpoints), by calling the agent assembly's entry point once per instance on its own thread.
// Usage: AgentFarm <first-address e.g. 127.0.1.1> <count> <grpc-port> <http-port> <proc-root> <target-pid> <state-root>
//        <token-file> [parallel (4)] [stall-seconds (120)]
// The apps start with bounded parallelism: the first alone (it JIT-compiles the code every later app shares), then at most
// <parallel> at a time, each awaited healthy (GET /health 200 on its own address) before the next starts. Prints
// "ready <n>/<N> <ms since start> ms" as each one answers and "all ready <N>/<N> <ms> ms rss <MB> MB" at the end, then
// runs until killed, printing "gc <ms> ms paused, <n> gen2" (the process's total GC pause time and full collections so
// far) with "all ready" and every 5 s after it, so the GC's share of the farm's start and of each later phase can be read. Exits 2 naming how many came up when one app is not healthy <stall-seconds> after its own start,
// and 3 when an app's entry point returns or throws.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;

var first = IPAddress.Parse(args[0]).GetAddressBytes();
var count = int.Parse(args[1], CultureInfo.InvariantCulture);
var grpcPort = args[2];
var httpPort = args[3];
var procRoot = args[4];
var targetPid = args[5];
var stateRoot = args[6];
var tokenFile = args[7];
var parallel = args.Length > 8 ? int.Parse(args[8], CultureInfo.InvariantCulture) : 4;
var stallLimit = TimeSpan.FromSeconds(args.Length > 9 ? int.Parse(args[9], CultureInfo.InvariantCulture) : 120);
if (count < 1 || parallel < 1 || stallLimit <= TimeSpan.Zero)
{
    Console.Error.WriteLine($"AgentFarm: count ({count}), parallel ({parallel}) and stall-seconds ({stallLimit.TotalSeconds}) must be positive");
    return 1;
}

var entryPoint = typeof(FaultAgent.Hosting.AgentOptions).Assembly.EntryPoint
    ?? throw new InvalidOperationException("FaultAgent has no entry point");
var clock = Stopwatch.StartNew();
var ready = 0;

// One connection per poll (Connection: close): 1000 agents must not leave 1000 idle pooled connections in the farm.
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

IPAddress Address(int i)
{
    var bytes = (byte[])first.Clone();
    var host = bytes[3] + i;
    bytes[2] += (byte)(host / 256);
    bytes[3] = (byte)(host % 256);
    return new IPAddress(bytes);
}

void Start(int i)
{
    var address = Address(i);
    var node = string.Create(CultureInfo.InvariantCulture, $"gpu-node-{i + 1:000}");
    var state = Directory.CreateDirectory(Path.Combine(stateRoot, node)).FullName;
    string[] agentArgs =
    [
        $"--Agent:NodeName={node}",
        $"--Agent:ProcRoot={procRoot}",
        $"--Agent:TargetPid={targetPid}",
        $"--Agent:StateDirectory={state}",
        $"--Agent:TokenFile={tokenFile}",
        $"--Kestrel:Endpoints:Http:Url=http://{address}:{httpPort}",
        $"--Kestrel:Endpoints:Http:Protocols=Http1",
        $"--Kestrel:Endpoints:Grpc:Url=http://{address}:{grpcPort}",
        $"--Kestrel:Endpoints:Grpc:Protocols=Http2",
        "--Logging:LogLevel:Default=Warning",
        // Benchmarks inject as fast as they can: the node's limits (Agent:Limits) are raised out of the way.
        "--Agent:Limits:InjectionsPerSecond=1000000",
        "--Agent:Limits:InjectionBurst=1000000",
        "--Agent:Limits:MaxActiveFaults=1000000",
        // One metrics exporter for the whole farm (the first app's): every app's exporter (AppMetricsExporter in
        // src/FaultInjection.Metrics, a MeterListener) is told of every instrument the process publishes, so each app's
        // start would publish its instruments to N listeners (measured with OpenTelemetry's pipeline, which listened the
        // same way: 80 % of the farm's CPU at 150 apps went to Instrument.Publish). The first app's exporter counts only
        // its own app's measurements (Meter.Scope); its /metrics is not read by the fan-out.
        .. (i == 0 ? Array.Empty<string>() : ["--Agent:Metrics:Enabled=false"]),
    ];
    var thread = new Thread(() =>
    {
        string why;
        try
        {
            entryPoint.Invoke(null, [agentArgs]);
            why = "its entry point returned";
        }
        catch (TargetInvocationException e)
        {
            why = $"its entry point threw {e.InnerException}";
        }

        Console.Error.WriteLine($"AgentFarm: {node} ({address}) stopped: {why} ({Volatile.Read(ref ready)}/{count} ready)");
        Environment.Exit(3);
    })
    { IsBackground = true, Name = node };
    thread.Start();
}

async Task WaitHealthyAsync(int i)
{
    var url = new Uri($"http://{Address(i)}:{httpPort}/health");
    var started = Stopwatch.StartNew();
    while (true)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.ConnectionClose = true;
            using var response = await http.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                var n = Interlocked.Increment(ref ready);
                Console.WriteLine($"ready {n}/{count} {clock.ElapsedMilliseconds} ms");
                return;
            }
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException)
        {
        }

        if (started.Elapsed > stallLimit)
        {
            Console.Error.WriteLine(
                $"AgentFarm: stalled: {Volatile.Read(ref ready)} of {count} agents healthy after {clock.Elapsed.TotalSeconds:0.0} s; " +
                $"gpu-node-{i + 1:000} ({url}) not healthy {stallLimit.TotalSeconds:0} s after its start");
            Environment.Exit(2);
        }

        await Task.Delay(20);
    }
}

// The first app alone: it JIT-compiles what every later app then runs compiled.
Start(0);
await WaitHealthyAsync(0);
using var slots = new SemaphoreSlim(parallel);
var starting = new List<Task>();
for (var i = 1; i < count; i++)
{
    await slots.WaitAsync();
    var index = i;
    Start(index);
    starting.Add(Task.Run(async () =>
    {
        try
        {
            await WaitHealthyAsync(index);
        }
        finally
        {
            slots.Release();
        }
    }));
}

await Task.WhenAll(starting);
using (var self = Process.GetCurrentProcess())
{
    Console.WriteLine($"all ready {count}/{count} {clock.ElapsedMilliseconds} ms rss {self.WorkingSet64 / 1048576.0:0.0} MB");
}

while (true)
{
    Console.WriteLine($"gc {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms paused, {GC.CollectionCount(2)} gen2");
    await Task.Delay(TimeSpan.FromSeconds(5));
}
