using System.Diagnostics;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace FaultAgent.Tests.Limits;

/// <summary>
/// A flood of 2,000 injections at one node: the real agent process with its DEFAULT limits (20 injections per second,
/// bursts of 100), 16 callers at once over gRPC, writing the machine's /dev/kmsg through a mount namespace the test owns.
/// After the burst the agent refuses (RESOURCE_EXHAUSTED with RetryInfo), and the kernel log holds no more records than
/// the limit allows for the time the flood took.
/// </summary>
[Collection(KernelLogFloodGroup.Name)]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class InjectionFloodTests(ITestOutputHelper output) : IDisposable
{
    private const int Burst = 100;
    private const double PerSecond = 20;
    private const int Requests = 2000;
    private readonly TestDirectory _directory = new();
    private readonly TargetNamespaceProcess _target = new();
    private readonly string _marker = "flood" + Guid.NewGuid().ToString("N")[..10];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agent writes: dmesg afterwards may have lost its records to other writers

    public void Dispose()
    {
        _target.Dispose();
        _directory.Dispose();
        _kernelLog.Dispose();
    }

    [RootFact]
    public async Task InjectXid_FloodOf2000AtOneNode_RefusedAfterTheBurstAndKernelLogWithinTheLimit()
    {
        await using var agent = await AgentProcess.StartAsync(Settings());
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var client = new AgentClient(channel);
        var injected = 0;
        var refused = 0;
        var retryDelays = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            try
            {
                var response = await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Message = $"{_marker} #{i}" }, AgentApplicationFactory.Auth(), cancellationToken: ct);
                Assert.NotEqual(0UL, response.Fault.Records[0].Sequence);
                Interlocked.Increment(ref injected);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                Interlocked.Increment(ref refused);
                lock (retryDelays)
                {
                    retryDelays.Add(e.GetRpcStatus()!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan());
                }
            }
        });
        var elapsed = clock.Elapsed;

        var allowed = Burst + (int)Math.Ceiling(PerSecond * elapsed.TotalSeconds);
        var inKernelLog = _kernelLog.SnapshotContaining(_marker).Count;
        var open = await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true, PageSize = 1 }, AgentApplicationFactory.Auth());
        output.WriteLine($"{Requests} injections in {elapsed.TotalSeconds:0.00} s: {injected} written, {refused} refused; {inKernelLog} records in the kernel log; the limit allows {allowed}");

        Assert.Equal(Requests, injected + refused);
        Assert.InRange(injected, Burst, allowed);
        Assert.InRange(inKernelLog, 0, allowed);
        Assert.All(retryDelays, d => Assert.InRange(d, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1 / PerSecond)));

        // Nothing recorded for a refusal: the node holds exactly the injections it answered.
        Assert.Equal(injected, open.TotalSize);
    }

    [RootFact]
    public async Task InjectXid_GrpcAndHttpAtOnceAgainstTheOpenFaultCap_ExactlyTheCapIsWrittenAndRecorded()
    {
        const int Cap = 37;
        using var kernelLog = KernelLogRecorder.Start();
        var settings = Settings();
        settings["Agent:Limits:MaxActiveFaults"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Agent:Limits:InjectionBurst"] = "100000";
        settings["Agent:Limits:InjectionsPerSecond"] = "100000";
        await using var agent = await AgentProcess.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var client = new AgentClient(channel);
        using var http = new HttpClient { BaseAddress = agent.HttpAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AgentApplicationFactory.ApiToken);
        var injected = 0;
        var refused = 0;

        // 200 injections at once, every other one through the HTTP route, each with its own fault id.
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            if (i % 2 == 0)
            {
                try
                {
                    _ = await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Message = $"{_marker} #{i}" }, AgentApplicationFactory.Auth(), cancellationToken: ct);
                    Interlocked.Increment(ref injected);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    Interlocked.Increment(ref refused);
                }

                return;
            }

            using var response = await http.PostAsync(new Uri("/inject-xid", UriKind.Relative), new StringContent($"{{\"xid_type\": 79, \"gpu_id\": 0, \"message\": \"{_marker} #{i}\"}}", System.Text.Encoding.UTF8, "application/json"), ct);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref injected);
            }
            else
            {
                Assert.True(response.StatusCode == System.Net.HttpStatusCode.TooManyRequests, await response.Content.ReadAsStringAsync(ct));
                Interlocked.Increment(ref refused);
            }
        });

        var open = await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true, PageSize = 1 }, AgentApplicationFactory.Auth());
        Assert.Equal(Cap, injected);
        Assert.Equal(200 - Cap, refused);
        Assert.Equal(Cap, open.TotalSize);
        Assert.Equal(Cap, kernelLog.SnapshotContaining(_marker).Count);
    }

    private Dictionary<string, string> Settings()
    {
        var procRoot = TestProcRoot.Create(_directory.Path);
        File.WriteAllText(_directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");
        return new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-flood",
            ["Agent:ProcRoot"] = procRoot,
            ["Agent:TargetPid"] = _target.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = _directory.Combine("state"),
            ["Agent:TokenFile"] = _directory.Combine("token"),
        };
    }
}
