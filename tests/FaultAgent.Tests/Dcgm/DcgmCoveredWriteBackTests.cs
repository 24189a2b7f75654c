using System.Globalization;
using FaultAgent.Dcgm;
using FaultAgent.Gpus;
using FaultAgent.Injection;
using FaultAgent.Registry;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using DcgmFieldCatalog = FaultAgent.Dcgm.DcgmFieldCatalog;
using Eventually = FaultAgent.Tests.Infrastructure.Eventually;
using FaultKind = FaultAgent.Registry.FaultKind;
using FaultState = FaultInjection.Agent.V1.FaultState;
using ProtoRestoreState = FaultInjection.Agent.V1.DcgmRestoreState;

namespace FaultAgent.Tests.Dcgm;

/// <summary>
/// A write-back that covers another ended fault's write on the same cell (<c>DcgmFaultService</c>'s settle after a
/// write-back) must be one that happened after that write: the real agent in-process over the stand-in dcgmi, whose
/// record of every value it stored shows what the hostengine holds.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DcgmCoveredWriteBackTests(HostNamespaceFixture host, ITestOutputHelper output) : IClassFixture<HostNamespaceFixture>
{
    [RootFact]
    public async Task RestorePass_RetryOfAFaultWhoseCellWasWrittenBackEarlier_DoesNotSettleALaterFaultsFailedWriteBackThere_DcgmHoldsTheValueBefore()
    {
        // Fault A writes two cells of GPU 0 (DCGM GPU 1): XID_ERRORS (0 -> 79) and PCIE_REPLAY_COUNTER (12 -> 112). A's
        // clear writes XID_ERRORS back; PCIE_REPLAY_COUNTER's write-back does not take (the driver keeps 99 there) and waits
        // for its retry. Fault B then writes 48 into XID_ERRORS (its restore value is 0, as A's) and is cleared while the
        // hostengine is away: B's write-back fails, DCGM holds 48. The restore pass retries A (PCIE_REPLAY_COUNTER only):
        // A's XID_ERRORS write-back happened before B's write, so it covers nothing of B's — B's 48 must be written back.
        var dcgmi = new StandInDcgmi(host);
        dcgmi.SetValue(1, 230, 0);
        dcgmi.SetValue(1, 202, 12);
        await using var agent = new AgentApplicationFactory(host.TargetPid, new() { ["Agent:Dcgm:DcgmiPath"] = dcgmi.Path, ["Agent:Dcgm:RestoreRetryInterval"] = "00:00:01" });
        var client = agent.CreateGrpcClient();
        var a = await RecordTwoCellsAsync(agent, [(230, 79), (202, 112)]);

        dcgmi.SetDriverValue(1, 202, 99);
        var aCleared = await client.ClearFaultAsync(new ClearFaultRequest { FaultId = a, Reason = "drill done" }, AgentApplicationFactory.Auth());
        Assert.Equal([ProtoRestoreState.Restored, ProtoRestoreState.Failed], aCleared.DcgmWrites.Select(w => w.RestoreState));

        var b = (await client.InjectDcgmFieldAsync(new DcgmInjectFieldRequest { Field = "230", Value = "48", GpuId = 0 }, AgentApplicationFactory.Auth())).Fault;
        Assert.Equal("0", b.DcgmWrites[0].RestoreValue);
        dcgmi.SetHostEngineRunning(false);
        var bCleared = await client.ClearFaultAsync(new ClearFaultRequest { FaultId = b.FaultId, Reason = "drill done" }, AgentApplicationFactory.Auth());
        Assert.Equal((ProtoRestoreState.Failed, 48L), (bCleared.DcgmWrites[0].RestoreState, dcgmi.Value(1, 230) ?? -1)); // B's record and what DCGM holds

        // The hostengine comes back and the driver lets go: every write is taken back by the next passes.
        var state = dcgmi.State;
        state.Remove("driver_values");
        dcgmi.State = state;
        dcgmi.SetHostEngineRunning(true);
        await Eventually.TrueAsync(
            async () => (await DcgmClearRestartTests.ListAsync(client)).All(f => f.State == FaultState.Cleared && f.DcgmWrites.All(w => w.RestoreState == ProtoRestoreState.Restored)),
            "every write of A and B taken back",
            TimeSpan.FromSeconds(60));
        var bEnded = await client.GetFaultAsync(new GetFaultRequest { FaultId = b.FaultId }, AgentApplicationFactory.Auth());
        var xidWrites = dcgmi.Writes.Where(w => w.Gpu == 1 && w.Field == 230).Select(w => w.Value).ToList();
        output.WriteLine($"B: {bEnded.DcgmWrites[0].RestoreState} ({bEnded.DcgmWrites[0].RestoreDetail}); XID_ERRORS took {string.Join(", ", xidWrites)}");

        Assert.Equal(0, dcgmi.Value(1, 230)); // not B's 48
        Assert.Equal(12, dcgmi.Value(1, 202));
        Assert.Equal([79, 0, 48, 0], xidWrites); // A's value, A's write-back, B's value, B's own write-back after it
        Assert.DoesNotContain("taken back by fault", bEnded.DcgmWrites[0].RestoreDetail, StringComparison.Ordinal);
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults);
    }

    /// <summary>
    /// One DCGM-only fault writing several fields of GPU 0, through the agent's own <see cref="DcgmFaultService.RecordAsync"/>
    /// and injection pipeline (InjectDcgmField writes one field a fault; the service takes any number).
    /// </summary>
    private static async Task<string> RecordTwoCellsAsync(AgentApplicationFactory agent, (int Field, long Value)[] values)
    {
        var services = agent.Services;
        var gpu = (await services.GetRequiredService<IGpuDiscovery>().DiscoverAsync(CancellationToken.None)).FindGpu(0)!;
        var pipeline = services.GetRequiredService<InjectionPipeline>();
        var now = DateTimeOffset.UtcNow;
        var planned = new FaultRecord
        {
            FaultId = $"fault-two-cells-{Guid.NewGuid():N}",
            NodeName = "node-a",
            Kind = FaultKind.DcgmField,
            Code = values[0].Field,
            FaultType = string.Create(CultureInfo.InvariantCulture, $"gpu_dcgm_field_{values[0].Field}"),
            GpuId = gpu.GpuId,
            PciBusId = gpu.PciBusId,
            GpuUuid = gpu.Uuid ?? "",
            Message = "two cells",
            State = FaultAgent.Registry.FaultState.Active,
            InjectedAt = now,
            Caller = "test",
            Surfaces = [DcgmFaultService.DcgmSurface],
        };
        var result = await services.GetRequiredService<DcgmFaultService>().RecordAsync(
            planned,
            [.. values.Select(v => new DcgmFieldValue(DcgmFieldCatalog.Default.FindById(v.Field)!, v.Value))],
            (p, ct) => pipeline.WriteAsync(p, [], ct),
            dryRun: false,
            CancellationToken.None);
        Assert.Equal(values.Select(v => v.Value), result.Fault.DcgmWrites.Select(w => w.Value));
        return result.Fault.FaultId;
    }
}
