using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Injection;

/// <summary>
/// What the ledger learns at the registry's start from this boot's faults (<see cref="GpuPreambleLedger.RecoveredAsync"/>):
/// a GPU whose preamble a fault's write put in the kernel log, or may have, is printed — a crash between that write and
/// the ledger's save no longer prints it twice — and one whose write left nothing of it stays due. A file of another boot
/// counts for nothing. The real process across a real SIGKILL: <see cref="GpuPreambleCrashTests"/>.
/// </summary>
public sealed class GpuPreambleLedgerTests : IDisposable
{
    private const string Uuid = "NVRM: NVRM: GPU at PCI:0000:{0}:00: GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b";
    private const string Serial = "NVRM: NVRM: GPU Board Serial Number: 1650124014249";
    private const string Xid = "NVRM: NVRM: Xid (PCI:0000:{0}:00): 13, pid=4242, name=x, Graphics Exception";

    private readonly TestDirectory _directory = new();
    private readonly FixedBootIdSource _bootIds = new("boot-a");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task RecoveredAsync_FaultsOfThisBoot_PrintedExactlyWhereTheirWritePutThePreambleInTheKernelLogOrMayHave()
    {
        using var ledger = Ledger();

        await ledger.RecoveredAsync("boot-a",
            [
                Fault("3b", FaultWriteOutcome.Verified, landed: [Line(Uuid, "3b"), Serial, Line(Xid, "3b")]),
                Fault("5e", FaultWriteOutcome.PartiallyWritten, landed: [Line(Uuid, "5e")], unconfirmed: [Serial, Line(Xid, "5e")]),
                Fault("86", FaultWriteOutcome.Unknown, landed: [], unconfirmed: [Line(Uuid, "86"), Line(Xid, "86")]),
                Fault("9a", FaultWriteOutcome.Verified, landed: [Line(Xid, "9a")]),
                Fault("af", FaultWriteOutcome.Unknown, landed: [], unconfirmed: [Line(Xid, "af")]),
                Fault("c4", FaultWriteOutcome.Verified, landed: [Line(Xid, "c4")]) with { Kind = FaultKind.Sxid },
            ],
            [Fault("d8", FaultWriteOutcome.Verified, landed: [Line(Uuid, "d8"), Line(Xid, "d8")])],
            CancellationToken.None);

        using var restarted = Ledger();
        foreach (var (gpu, due) in new[] { ("3b", false), ("5e", false), ("86", false), ("9a", true), ("af", true), ("c4", true), ("d8", false) })
        {
            Assert.Equal(due, await ledger.IsDueAsync($"0000:{gpu}:00", CancellationToken.None));
            Assert.Equal(due, await restarted.IsDueAsync($"0000:{gpu}:00", CancellationToken.None)); // saved
        }
    }

    [Fact]
    public async Task IsDueAsync_FileAndFaultsOfAnEarlierBoot_EveryGpuDueAgain()
    {
        using (var before = Ledger())
        {
            await before.RecoveredAsync("boot-a", [Fault("3b", FaultWriteOutcome.Verified, landed: [Line(Uuid, "3b"), Line(Xid, "3b")])], [], CancellationToken.None);
            Assert.False(await before.IsDueAsync("0000:3b:00", CancellationToken.None));
        }

        _bootIds.BootId = "boot-b";
        using var rebooted = Ledger();
        await rebooted.RecoveredAsync("boot-a", [Fault("5e", FaultWriteOutcome.Verified, landed: [Line(Uuid, "5e"), Line(Xid, "5e")])], [], CancellationToken.None);

        Assert.True(await rebooted.IsDueAsync("0000:3b:00", CancellationToken.None));
        Assert.True(await rebooted.IsDueAsync("0000:5e:00", CancellationToken.None));
        Assert.True(await rebooted.TryReserveAsync("0000:3b:00", CancellationToken.None));
    }

    private GpuPreambleLedger Ledger() =>
        new(_bootIds, Options.Create(new AgentOptions { NodeName = "node-a", StateDirectory = _directory.Path }), NullLogger<GpuPreambleLedger>.Instance);

    private static string Line(string format, string bus) => string.Format(System.Globalization.CultureInfo.InvariantCulture, format, bus);

    private static FaultRecord Fault(string bus, FaultWriteOutcome outcome, string[] landed, string[]? unconfirmed = null) => new()
    {
        FaultId = $"fault-{bus}-{outcome}",
        NodeName = "node-a",
        Kind = FaultKind.Xid,
        Code = 13,
        FaultType = "gpu_xid_13",
        PciBusId = $"0000:{bus}:00.0",
        BootId = "boot-a",
        WriteOutcome = outcome,
        State = outcome switch { FaultWriteOutcome.Unknown => FaultState.OutcomeUnknown, FaultWriteOutcome.PartiallyWritten => FaultState.PartiallyWritten, _ => FaultState.Active },
        Records = [.. landed.Select((t, i) => new FaultKernelRecord(t, 4, 1, 100UL + (ulong)i, 1, null))],
        UnconfirmedRecords = [.. (unconfirmed ?? []).Select(t => new FaultKernelRecord(t, 4, 1, 0, 0, null))],
    };
}
