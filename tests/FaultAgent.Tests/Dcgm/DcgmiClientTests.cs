using FaultAgent.Dcgm;
using FaultAgent.Tests.HostProcesses;

namespace FaultAgent.Tests.Dcgm;

/// <summary>
/// <see cref="DcgmiClient"/> through the real nsenter runner against the stand-in dcgmi, which exists only in the stand-in
/// host's mount namespace: the argument lists it runs, what it reads, and every way dcgmi fails.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DcgmiClientTests : IClassFixture<HostNamespaceFixture>
{
    private readonly HostNamespaceFixture _host;

    public DcgmiClientTests(HostNamespaceFixture host)
    {
        _host = host;
    }

    private DcgmiClient Client(StandInDcgmi dcgmi, string hostEngine = "", string driverRoot = "") =>
        DcgmTestParts.Client(_host, new DcgmOptions { DcgmiPath = dcgmi.Path, HostEngineAddress = hostEngine, DriverRoot = driverRoot });

    [RootFact]
    public async Task DiscoverAsync_StandInHostEngine_DcgmsOwnIdsWithProcfsBusIds()
    {
        var dcgmi = new StandInDcgmi(_host);

        var gpus = await Client(dcgmi).DiscoverAsync(CancellationToken.None);

        Assert.Equal([0, 1], gpus.Select(g => g.DcgmGpuId));
        Assert.Equal(["0000:5e:00.0", "0000:3b:00.0"], gpus.Select(g => g.ProcfsPciBusId));
        Assert.Equal(["discovery", "-l"], Assert.Single(dcgmi.Calls));
    }

    [RootFact]
    public async Task InjectAsync_ThenReadAsync_ValueReadBackThroughDmon()
    {
        var dcgmi = new StandInDcgmi(_host);
        var client = Client(dcgmi);

        var before = await client.ReadAsync(1, 230, CancellationToken.None);
        await client.InjectAsync(1, 230, 79, CancellationToken.None);
        var after = await client.ReadAsync(1, 230, CancellationToken.None);

        Assert.Equal("N/A", before.Text);
        Assert.Null(before.Value);
        Assert.Equal(79, after.Value);
        Assert.Equal(79, dcgmi.Value(1, 230));
        Assert.Equal(
            [
                ["dmon", "-e", "230", "-i", "1", "-c", "1"],
                ["test", "--inject", "--gpuid", "1", "-f", "230", "-v", "79"],
                ["dmon", "-e", "230", "-i", "1", "-c", "1"],
            ],
            dcgmi.Calls);
    }

    [RootFact]
    public async Task ReadAsync_HostEngineAddressSet_PassedAsHostToEveryCommand()
    {
        var dcgmi = new StandInDcgmi(_host);
        dcgmi.ListenOn("127.0.0.1:5555");
        var client = Client(dcgmi, hostEngine: "127.0.0.1:5555");

        await client.DiscoverAsync(CancellationToken.None);
        await client.InjectAsync(0, 311, 2, CancellationToken.None);
        var read = await client.ReadAsync(0, 311, CancellationToken.None);

        Assert.Equal(2, read.Value);
        Assert.All(dcgmi.Calls, call => Assert.Equal(["--host", "127.0.0.1:5555"], call[^2..]));
    }

    [RootFact]
    public async Task DiscoverAsync_HostEngineStopped_HostEngineUnreachableWithDcgmisWords()
    {
        var dcgmi = new StandInDcgmi(_host);
        dcgmi.SetHostEngineRunning(false);

        var e = await Assert.ThrowsAsync<DcgmException>(() => Client(dcgmi).DiscoverAsync(CancellationToken.None));

        Assert.Equal(DcgmFailure.HostEngineUnreachable, e.Failure);
        Assert.Equal("DCGM_HOSTENGINE_UNREACHABLE", e.Reason);
        Assert.Equal(global::Grpc.Core.StatusCode.Unavailable, FaultAgent.Grpc.FaultStatusCodes.For(e));
        Assert.Contains("localhost", e.Message, StringComparison.Ordinal);
        Assert.Contains("Error: unable to establish a connection to the specified host: localhost", e.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 235", e.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task ReadAsync_HostEngineAddressNobodyListensOn_HostEngineUnreachableNamingIt()
    {
        var dcgmi = new StandInDcgmi(_host);

        var e = await Assert.ThrowsAsync<DcgmException>(() => Client(dcgmi, hostEngine: "nvidia-dcgm.gpu-operator.svc:5555").ReadAsync(0, 230, CancellationToken.None));

        Assert.Equal(DcgmFailure.HostEngineUnreachable, e.Failure);
        Assert.Equal("nvidia-dcgm.gpu-operator.svc:5555", e.HostEngine);
        Assert.Contains("specified host: nvidia-dcgm.gpu-operator.svc:5555", e.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task InjectAsync_HostEngineSlowerThanTheCommandTimeout_TimeoutAndTheKilledDcgmiNeverWrites()
    {
        var dcgmi = new StandInDcgmi(_host);
        dcgmi.SetAnswerDelay(4);
        var client = DcgmTestParts.Client(_host, new DcgmOptions { DcgmiPath = dcgmi.Path, CommandTimeout = TimeSpan.FromSeconds(1) });

        var e = await Assert.ThrowsAsync<DcgmException>(() => client.InjectAsync(1, 230, 79, CancellationToken.None));

        Assert.Equal(DcgmFailure.Timeout, e.Failure);
        Assert.Equal("DCGM_TIMEOUT", e.Reason);
        Assert.Equal(global::Grpc.Core.StatusCode.DeadlineExceeded, FaultAgent.Grpc.FaultStatusCodes.For(e));
        // Past the delay the dcgmi would have answered after: its process tree was killed, so the value never lands.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Null(dcgmi.Value(1, 230));
        Assert.Single(dcgmi.Calls);
    }

    [RootFact]
    public async Task InjectAsync_GpuTheHostEngineDoesNotHave_InjectionRejectedWithDcgmisLine()
    {
        var dcgmi = new StandInDcgmi(_host);

        var e = await Assert.ThrowsAsync<DcgmException>(() => Client(dcgmi).InjectAsync(7, 230, 79, CancellationToken.None));

        Assert.Equal(DcgmFailure.InjectionRejected, e.Failure);
        Assert.Contains("Error: Unable to inject info. Return: Bad parameter passed to function", e.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task ReadAsync_GpuTheHostEngineDoesNotHave_CommandFailedWithDcgmisLine()
    {
        var dcgmi = new StandInDcgmi(_host);

        var e = await Assert.ThrowsAsync<DcgmException>(() => Client(dcgmi).ReadAsync(7, 230, CancellationToken.None));

        Assert.Equal(DcgmFailure.CommandFailed, e.Failure);
        Assert.Contains("while adding GPU 7 to our entity group", e.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task DiscoverAsync_NoDcgmiOnTheHost_ToolUnavailable()
    {
        var e = await Assert.ThrowsAsync<DcgmException>(() =>
            DcgmTestParts.Client(_host, new DcgmOptions { DcgmiPath = "/nonexistent/dcgmi" }).DiscoverAsync(CancellationToken.None));

        Assert.Equal(DcgmFailure.ToolUnavailable, e.Failure);
        Assert.Equal(global::Grpc.Core.StatusCode.FailedPrecondition, FaultAgent.Grpc.FaultStatusCodes.For(e));
    }

    [RootFact]
    public async Task DiscoverAsync_DriverRootSet_RunsTheDcgmiInsideThatRoot()
    {
        var outside = new StandInDcgmi(_host); // two GPUs
        // A root holding the host's own tree (bound in the host's mount namespace only), where the stand-in's directory
        // is a tmpfs of its own with a dcgmi whose hostengine has one GPU.
        var root = _host.NewHostDirectory("driver-root");
        _host.RunInHost("mount", "--rbind", "/", root);
        var inside = root + outside.Directory;
        _host.RunInHost("mount", "-t", "tmpfs", "dcgmi-in-root", inside);
        _host.WriteToolAt(inside + "/dcgmi", DcgmSamples.StandInScript());
        var state = StandInDcgmi.DefaultState();
        state["gpus"]!.AsArray().RemoveAt(1);
        File.WriteAllText(_host.HostPath(inside + "/dcgm-state.json"), state.ToJsonString());

        var inRoot = await Client(outside, driverRoot: root).DiscoverAsync(CancellationToken.None);
        var onHost = await Client(outside).DiscoverAsync(CancellationToken.None);

        Assert.Single(inRoot);
        Assert.Equal(2, onHost.Count);
    }

    [RootFact]
    public async Task DiscoverAsync_DriverRootThatDoesNotExist_ToolUnavailableFromChroot()
    {
        var dcgmi = new StandInDcgmi(_host);

        var e = await Assert.ThrowsAsync<DcgmException>(() => Client(dcgmi, driverRoot: "/nonexistent-driver-root").DiscoverAsync(CancellationToken.None));

        Assert.Equal(DcgmFailure.ToolUnavailable, e.Failure);
        Assert.Contains("chroot", e.Message, StringComparison.Ordinal);
        Assert.Empty(dcgmi.Calls);
    }
}
