using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaultAgent.Tests.Registry;

/// <summary>An append builds its line in the journal's reused buffer: byte for byte the line <see cref="FaultJournal.Serialize"/> makes.</summary>
public sealed class FaultJournalAppendTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Append_EntriesOfDifferentSizes_EachLineAsSerializeMakesItAndLoadable()
    {
        var fault = new FaultRecord
        {
            FaultId = "f-1",
            NodeName = "node-a",
            Kind = FaultKind.Xid,
            Code = 79,
            FaultType = "gpu_xid_79",
            Line = "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
            Records = [new FaultKernelRecord("NVRM: NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus. \"quoted\" é", 3, 1, 42, 7, DateTimeOffset.UnixEpoch)],
            InjectedAt = DateTimeOffset.UnixEpoch,
            BootId = "boot-1",
            RequestFingerprint = "fp",
        };
        FaultJournalEntry[] entries =
        [
            new() { Op = FaultJournalOperation.Pending, FaultId = "f-1", Fault = fault, FromSequence = 40, BatchIndex = 0 },
            new() { Op = FaultJournalOperation.Abandoned, FaultId = "f-1" },
            new() { Op = FaultJournalOperation.Recorded, FaultId = "f-2", Fault = fault with { FaultId = "f-2", Records = [.. Enumerable.Repeat(fault.Records[0], 40)] } },
            new() { Op = FaultJournalOperation.Abandoned, FaultId = "f-3" },
        ];

        using (var journal = new FaultJournal(_directory.Path, NullLogger<FaultJournal>.Instance))
        {
            foreach (var entry in entries)
            {
                journal.Append(entry, flushToDisk: false);
            }
        }

        Assert.Equal(entries.SelectMany(FaultJournal.Serialize), File.ReadAllBytes(Path.Combine(_directory.Path, FaultJournal.FileName)));
        using var reader = new FaultJournal(_directory.Path, NullLogger<FaultJournal>.Instance);
        var loaded = reader.Load();
        Assert.Equal(0, loaded.DamagedLines);
        Assert.Equal(["f-1", "f-1", "f-2", "f-3"], loaded.Entries.Select(e => e.FaultId));
    }
}
