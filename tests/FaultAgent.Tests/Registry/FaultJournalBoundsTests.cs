using System.Globalization;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// The journal is read streaming at start (its size does not have to fit in memory, nor in one array) and stays bounded
/// by the records kept: compaction after every kind of change keeps it within max(CompactAfterEntries, 2 × records).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultJournalBoundsTests(ITestOutputHelper output) : IDisposable
{
    private readonly RegistryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [RootFact]
    public void Load_LinesAcrossReadChunksAndOneLineOverTheLimit_StreamsEveryOtherEntryInOrder()
    {
        using var journal = new FaultJournal(_context.Directory.Path, NullLogger<FaultJournal>.Instance);
        var ids = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            if (i == 200)
            {
                // One line longer than a load accepts (no newline inside), as a damaged file could hold.
                journal.Dispose();
                File.AppendAllText(_context.JournalPath, new string('x', FaultJournal.MaxLineBytes + 10) + "\n");
            }

            var id = $"f-{i:000}";
            ids.Add(id);
            journal.Append(new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = id, Fault = _context.Planned(id, $"NVRM: NVRM: Xid (PCI:0000:3b:00): 79, line {i} {new string('.', i % 300)}") }, flushToDisk: false);
        }

        Assert.True(new FileInfo(_context.JournalPath).Length > 8 * FaultJournal.ReadChunkBytes);

        var streamed = new List<string>();
        var scan = new FaultJournal(_context.Directory.Path, NullLogger<FaultJournal>.Instance).Load(e => streamed.Add(e.FaultId));

        Assert.Equal(ids, streamed);
        Assert.Equal(400, scan.Entries);
        Assert.Equal(1, scan.DamagedLines);
        Assert.False(scan.TornTail);
    }

    [RootFact]
    public async Task InjectAndClear_ThousandsOfTimes_JournalStaysWithinTwiceTheRecordsKept()
    {
        _context.Options.CompactAfterEntries = 64;
        _context.Options.MaxEndedRecords = 50;
        var registry = await _context.StartAsync();
        var largestEntries = 0;
        long largestBytes = 0;
        for (var i = 0; i < 3000; i++)
        {
            var id = $"f-{i}";
            await _context.InjectAsync(registry, _context.Planned(id, $"NVRM: NVRM: Xid (PCI:0000:3b:00): 79, cycle {i}", duration: i % 3 == 0 ? TimeSpan.FromSeconds(1) : null));
            if (i % 3 != 0)
            {
                await registry.ClearAsync(id, "done", CancellationToken.None);
            }
            else
            {
                _context.Time.Advance(TimeSpan.FromSeconds(2));
            }

            // What the agent's expiry service does after every change.
            await registry.EndExpiredAndPruneAsync(CancellationToken.None);

            // The compaction runs in the background since #14: the bound holds once it has landed.
            await registry.CompactionUnderWay;
            var entries = File.ReadLines(_context.JournalPath).Count();
            var bound = Math.Max(_context.Options.CompactAfterEntries, 2 * registry.RecordCount);
            Assert.True(entries <= bound, $"cycle {i}: {entries} journal entries for {registry.RecordCount} records kept (bound {bound})");
            largestEntries = Math.Max(largestEntries, entries);
            largestBytes = Math.Max(largestBytes, new FileInfo(_context.JournalPath).Length);
        }

        output.WriteLine($"3000 inject/clear-or-expire cycles: at most {largestEntries} journal entries, {largestBytes} bytes; {registry.RecordCount} records kept at the end");
        Assert.Equal(50, registry.RecordCount);
        Assert.Equal(50, (await (await _context.StartAsync()).ListAsync(false, CancellationToken.None)).Count);
    }

    [RootFact]
    public async Task Start_JournalOver2GiB_LoadsStreamingAndKeepsTheEntriesAroundADamagedStretch()
    {
        using var directory = new TestDirectory();
        using var target = new TargetNamespaceProcess();
        var state = Directory.CreateDirectory(directory.Combine("state")).FullName;
        var bootId = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        var path = Path.Combine(state, FaultJournal.FileName);
        using (var journal = new FaultJournal(state, NullLogger<FaultJournal>.Instance))
        {
            journal.Append(Recorded("before-hole", bootId), flushToDisk: false);
        }

        // 2.1 GiB of zeros (a sparse stretch, no disk blocks) ending in a newline: one damaged line, larger than any array.
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Seek((long)(2.1 * 1024 * 1024 * 1024), SeekOrigin.End);
            stream.WriteByte((byte)'\n');
        }

        using (var journal = new FaultJournal(state, NullLogger<FaultJournal>.Instance))
        {
            journal.Append(Recorded("after-hole", bootId), flushToDisk: false);
        }

        Assert.True(new FileInfo(path).Length > int.MaxValue);
        var procRoot = TestProcRoot.Create(directory.Path);
        File.WriteAllText(directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");

        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-a",
            ["Agent:ProcRoot"] = procRoot,
            ["Agent:TargetPid"] = target.Pid.ToString(CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = state,
            ["Agent:TokenFile"] = directory.Combine("token"),
        });
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var client = new AgentClient(channel);
        var faults = (await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults;

        Assert.Equal(["before-hole", "after-hole"], faults.Select(f => f.FaultId));
        Assert.All(faults, f => Assert.Equal(FaultInjection.Agent.V1.FaultState.Active, f.State));

        // The start rewrote it compactly: two records.
        Assert.InRange(new FileInfo(path).Length, 1, 64 * 1024);
    }

    private FaultJournalEntry Recorded(string id, string bootId) => new()
    {
        Op = FaultJournalOperation.Recorded,
        FaultId = id,
        Fault = _context.Planned(id, $"NVRM: NVRM: Xid (PCI:0000:3b:00): 79, {id}") with
        {
            BootId = bootId,
            InjectedAt = DateTimeOffset.UtcNow.AddMinutes(id == "before-hole" ? -2 : -1),
            Records = [new FaultKernelRecord($"NVRM: NVRM: Xid (PCI:0000:3b:00): 79, {id}", 3, 1, 0, 0, null)],
        },
    };
}
