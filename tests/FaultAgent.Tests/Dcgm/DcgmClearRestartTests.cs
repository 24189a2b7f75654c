using FaultAgent.Dcgm;
using FaultAgent.Hosting;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using Eventually = FaultAgent.Tests.Infrastructure.Eventually;
using ProtoRestoreState = FaultInjection.Agent.V1.DcgmRestoreState;

namespace FaultAgent.Tests.Dcgm;

/// <summary>
/// The real agent process SIGKILLed while it clears faults on the DCGM surface, and restarted on the same state
/// directory: the stand-in dcgmi (run through nsenter in a stand-in host) records every value the hostengine took, so
/// "written back" is observable. The kill lands while a clear's write-back (<c>dcgmi test --inject</c>) is under way —
/// the stand-in holds it — and takes that dcgmi with it, as a container's kill takes its whole cgroup.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DcgmClearRestartTests : IClassFixture<HostNamespaceFixture>, IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly HostNamespaceFixture _host;
    private readonly TestDirectory _directory = new();
    private readonly ITestOutputHelper _output;

    public DcgmClearRestartTests(HostNamespaceFixture host, ITestOutputHelper output)
    {
        _host = host;
        _output = output;
    }

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task Restart_SigkilledMidClearOfDcgmFaults_EveryValueWrittenBackOnce_NoneLeftInjected_LedgerSettled()
    {
        // Three DCGM faults on three cells (XID_ERRORS of both GPUs, ECC_DBE of GPU 0), one of them over a value DCGM
        // already held; cleared all at once, SIGKILLed while the first write-back's dcgmi is under way (the other two
        // clears ended their faults and wait for the agent's DCGM lock).
        var dcgmi = new StandInDcgmi(_host);
        var settings = Settings(dcgmi, restoreRetry: "00:00:01");
        var cells = ThreeCells(dcgmi);
        var ids = new List<string>();
        await using (var agent = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
            var client = new AgentClient(channel);
            foreach (var (gpu, field, _, value) in cells)
            {
                // DCGM GPU 1 is Device Minor 0, DCGM GPU 0 is Device Minor 1.
                var request = new DcgmInjectFieldRequest { Field = field.ToString(System.Globalization.CultureInfo.InvariantCulture), Value = value.ToString(System.Globalization.CultureInfo.InvariantCulture), GpuId = 1 - gpu };
                ids.Add((await client.InjectDcgmFieldAsync(request, AgentApplicationFactory.Auth())).Fault.FaultId);
            }

            dcgmi.HoldInjections();
            var clears = ids.Select(id => client.ClearFaultAsync(new ClearFaultRequest { FaultId = id, Reason = "clear burst" }, AgentApplicationFactory.Auth()).ResponseAsync).ToList();
            await Eventually.TrueAsync(
                async () => dcgmi.InjectionHeld && (await ListAsync(client)).All(f => f.State == FaultState.Cleared),
                "every fault cleared and the first write-back's dcgmi under way",
                Generous);
            await KillWithItsDcgmiAsync(agent, dcgmi);
            await Task.WhenAll(clears.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        dcgmi.ReleaseInjections();
        Assert.Equal(cells.Select(c => c.Value), cells.Select(c => dcgmi.Value(c.Gpu, c.Field) ?? -1)); // nothing written back yet

        await using (var restarted = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(restarted.GrpcAddress);
            var client = new AgentClient(channel);
            await Eventually.TrueAsync(
                async () => (await ListAsync(client)).All(f => f.DcgmWrites.All(w => w.RestoreState == ProtoRestoreState.Restored)),
                "every value written back by the restarted agent",
                Generous);
            var listed = await ListAsync(client);
            Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(f => f.FaultId).Order(StringComparer.Ordinal));
            Assert.All(listed, f => Assert.Equal(FaultState.Cleared, f.State));
            await restarted.KillAsync();
        }

        _output.WriteLine(string.Join("; ", dcgmi.Writes.Select(w => $"gpu {w.Gpu} field {w.Field} = {w.Value}")));
        AssertEachWrittenBackOnce(dcgmi, cells);

        Assert.Empty(OpenLedgerEntries(settings));
    }

    [RootFact]
    public async Task Restart_SigkilledMidClearThenAnInjectionOnTheSameFieldBeforeTheWriteBack_LastClearRestoresTheValueBeforeBoth()
    {
        // Fault A writes 79 into XID_ERRORS of GPU 0 and is cleared; the agent is SIGKILLed while A's write-back is under
        // way (A is cleared in the journal, DCGM still holds 79). The restarted agent's write-back at start fails (the
        // hostengine does not answer for a moment) and is due again only after RestoreRetryInterval. Meanwhile fault B
        // writes 48 into the same field. B must take back the value before A (0), not A's 79: A's write-back is then
        // held for B, and B's clear is the last word — were it 79, DCGM would show an Xid 79 with no fault open.
        var dcgmi = new StandInDcgmi(_host);
        var settings = Settings(dcgmi, restoreRetry: "01:00:00");
        string a;
        await using (var agent = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
            var client = new AgentClient(channel);
            a = (await client.InjectDcgmFieldAsync(new DcgmInjectFieldRequest { Field = "230", Value = "79", GpuId = 0 }, AgentApplicationFactory.Auth())).Fault.FaultId;
            dcgmi.HoldInjections();
            var clear = client.ClearFaultAsync(new ClearFaultRequest { FaultId = a, Reason = "drill done" }, AgentApplicationFactory.Auth()).ResponseAsync;
            await Eventually.TrueAsync(() => Task.FromResult(dcgmi.InjectionHeld), "A's write-back dcgmi under way", Generous);
            await KillWithItsDcgmiAsync(agent, dcgmi);
            await clear.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        dcgmi.ReleaseInjections();
        dcgmi.SetHostEngineRunning(false);
        Assert.Equal(79, dcgmi.Value(1, 230));

        await using var restarted = await AgentProcess.StartAsync(settings);
        using var restartedChannel = GrpcChannel.ForAddress(restarted.GrpcAddress);
        var restartedClient = new AgentClient(restartedChannel);
        await DcgmGrpcTests.WaitForAsync(restartedClient, a, f => f.State == FaultState.Cleared && f.DcgmWrites[0].RestoreState == ProtoRestoreState.Failed, "the start's write-back of A to fail");
        await Eventually.TrueAsync(() => Task.FromResult(!ProcessTable.FindByMarker(dcgmi.Directory).Any(pid => pid != restarted.Pid)), "no dcgmi left running (the agent's own command line names it)", Generous);
        dcgmi.SetHostEngineRunning(true);

        var b = (await restartedClient.InjectDcgmFieldAsync(new DcgmInjectFieldRequest { Field = "230", Value = "48", GpuId = 0 }, AgentApplicationFactory.Auth())).Fault;
        var heldForB = await DcgmGrpcTests.WaitForAsync(restartedClient, a, f => f.DcgmWrites[0].RestoreState != ProtoRestoreState.Failed, "A's write-back retried once B was recorded");
        var bCleared = await restartedClient.ClearFaultAsync(new ClearFaultRequest { FaultId = b.FaultId, Reason = "drill done" }, AgentApplicationFactory.Auth());
        _output.WriteLine($"B: before {b.DcgmWrites[0].ValueBefore}, restore value {b.DcgmWrites[0].RestoreValue}; A: {heldForB.DcgmWrites[0].RestoreState} ({heldForB.DcgmWrites[0].RestoreDetail}); writes: {string.Join(", ", dcgmi.Writes.Select(w => w.Value))}");

        Assert.Equal("79", b.DcgmWrites[0].ValueBefore); // what DCGM held: A's value, not yet taken back
        Assert.Equal("0", b.DcgmWrites[0].RestoreValue); // the value before A
        Assert.Equal(ProtoRestoreState.Held, heldForB.DcgmWrites[0].RestoreState);
        Assert.Contains(b.FaultId, heldForB.DcgmWrites[0].RestoreDetail, StringComparison.Ordinal);
        Assert.Equal(ProtoRestoreState.Restored, bCleared.DcgmWrites[0].RestoreState);
        Assert.Equal(0, dcgmi.Value(1, 230));
        Assert.Empty((await restartedClient.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults);
        await restarted.KillAsync();
        Assert.Empty(OpenLedgerEntries(settings));
    }

    /// <summary>
    /// The three cells the restart tests fault, as (DCGM GPU, field, value before, injected value): XID_ERRORS of both GPUs
    /// and ECC_DBE of GPU 0 (DCGM GPU 1), this one over a value DCGM already holds (set here).
    /// </summary>
    internal static (int Gpu, int Field, long Before, long Value)[] ThreeCells(StandInDcgmi dcgmi)
    {
        dcgmi.SetValue(1, 202, 12);
        return [(1, 230, 0, 79), (0, 230, 0, 48), (1, 202, 12, 112)];
    }

    /// <summary>Each cell took its injected value once and its value before once (none written back twice, none left injected), and holds the value before.</summary>
    internal static void AssertEachWrittenBackOnce(StandInDcgmi dcgmi, IEnumerable<(int Gpu, int Field, long Before, long Value)> cells)
    {
        foreach (var (gpu, field, before, value) in cells)
        {
            Assert.Equal([value, before], dcgmi.Writes.Where(w => w.Gpu == gpu && w.Field == field).Select(w => w.Value));
            Assert.Equal(before, dcgmi.Value(gpu, field));
        }
    }

    /// <summary>SIGKILLs the agent and the dcgmi it has running (the container's kill takes its whole cgroup), before that dcgmi stored anything.</summary>
    internal static async Task KillWithItsDcgmiAsync(AgentProcess agent, StandInDcgmi dcgmi)
    {
        await agent.KillAsync();
        foreach (var pid in ProcessTable.FindByMarker(dcgmi.Directory))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync();
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }
    }

    internal static async Task<List<Fault>> ListAsync(AgentClient client) =>
        [.. (await client.ListFaultsAsync(new ListFaultsRequest { PageSize = 1000 }, AgentApplicationFactory.Auth())).Faults];

    /// <summary>The DCGM write ledger's writes not settled, as the state directory holds them (read while the agent is dead).</summary>
    internal static IReadOnlyList<DcgmLedgerEntry> OpenLedgerEntries(Dictionary<string, string> settings)
    {
        using var ledger = new DcgmWriteLedger(Options.Create(new AgentOptions { NodeName = "node-dcgm-clear-restart", StateDirectory = settings["Agent:StateDirectory"] }), NullLogger<DcgmWriteLedger>.Instance);
        return ledger.Open;
    }

    private Dictionary<string, string> Settings(StandInDcgmi dcgmi, string restoreRetry) => Settings(_directory, _host, dcgmi, restoreRetry);

    /// <summary>A real agent's settings in <paramref name="directory"/> running <paramref name="dcgmi"/> in the stand-in host.</summary>
    internal static Dictionary<string, string> Settings(TestDirectory directory, HostNamespaceFixture host, StandInDcgmi dcgmi, string restoreRetry)
    {
        var settings = AgentProcessSettings.ForNode(directory, host.TargetPid, "node-dcgm-clear-restart");
        settings["Agent:Dcgm:DcgmiPath"] = dcgmi.Path;
        settings["Agent:Dcgm:RestoreRetryInterval"] = restoreRetry;
        return settings;
    }
}
