using FaultAgent.Injection;
using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

public sealed class FaultRegistryTests : IDisposable
{
    private readonly RegistryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task RecordInjection_NewFault_WritesOnceAndRecordsProof()
    {
        var registry = await _context.StartAsync();

        var registration = await _context.InjectAsync(registry, _context.Planned("f-1", "NVRM: NVRM: Xid (PCI:0000:3b:00): 79, one"));

        Assert.False(registration.Replayed);
        var record = Assert.Single(_context.KernelLog.Records);
        Assert.Equal(FaultState.Active, registration.Fault.State);
        Assert.Equal("boot-1", registration.Fault.BootId);
        var proof = Assert.Single(registration.Fault.Records);
        Assert.Equal(record.Sequence, proof.Sequence);
        Assert.Equal(record.TimestampMicroseconds, proof.TimestampMicroseconds);
        Assert.Equal(_context.Time.GetUtcNow(), proof.ObservedAt);
    }

    [Fact]
    public async Task Restart_AfterInjectionsAndClear_ListsExactlyTheSameFaults()
    {
        var registry = await _context.StartAsync();
        await _context.InjectAsync(registry, _context.Planned("f-1", "line one", "key-1"));
        await _context.InjectAsync(registry, _context.Planned("f-2", "line two"));
        await registry.ClearAsync("f-1", "cleared by test", CancellationToken.None);
        var before = await registry.ListAsync(activeOnly: false, CancellationToken.None);

        var restarted = await _context.StartAsync();

        var after = await restarted.ListAsync(activeOnly: false, CancellationToken.None);
        Assert.Equal(before.Select(Json), after.Select(Json));
        Assert.Equal(FaultState.Cleared, (await restarted.GetAsync("f-1", CancellationToken.None)).State);
        var replay = await restarted.FindReplayAsync(null, "key-1", "fp-1", CancellationToken.None);
        Assert.Equal("f-1", replay?.FaultId);
    }

    [Fact]
    public async Task RecordInjection_SameIdempotencyKeySameRequest_ReplaysWithoutWriting()
    {
        var registry = await _context.StartAsync();
        var first = await _context.InjectAsync(registry, _context.Planned("f-1", "line", "key-1"));

        var second = await _context.InjectAsync(registry, _context.Planned("f-other", "line", "key-1"));

        Assert.True(second.Replayed);
        Assert.Equal(first.Fault, second.Fault);
        Assert.Single(_context.KernelLog.Records);
    }

    [Fact]
    public async Task RecordInjection_SameKeyDifferentRequest_ThrowsConflictAndWritesNothing()
    {
        var registry = await _context.StartAsync();
        await _context.InjectAsync(registry, _context.Planned("f-1", "line", "key-1"));

        var conflict = await Assert.ThrowsAsync<FaultRequestConflictException>(
            () => _context.InjectAsync(registry, _context.Planned("f-2", "other line", "key-1", fingerprint: "fp-2")));

        Assert.Equal("idempotency_key", conflict.Field);
        Assert.Single(_context.KernelLog.Records);
        Assert.Single(await registry.ListAsync(false, CancellationToken.None));
    }

    [Fact]
    public async Task RecordInjection_ConcurrentDuplicates_WriteOnce()
    {
        var registry = await _context.StartAsync();
        var release = new TaskCompletionSource();
        _context.KernelLog.BeforeWrite = () => release.Task;

        var attempts = Enumerable.Range(0, 8).Select(_ => _context.InjectAsync(registry, _context.Planned("f-1", "line", "key-1"))).ToList();
        release.SetResult();
        var results = await Task.WhenAll(attempts);

        Assert.Single(_context.KernelLog.Records);
        Assert.Equal(1, _context.KernelLog.WriteCalls);
        Assert.Single(results, r => !r.Replayed);
        Assert.All(results, r => Assert.Equal("f-1", r.Fault.FaultId));
    }

    [Fact]
    public async Task RecordInjection_KernelLogFails_RecordsNothingEvenAfterRestart()
    {
        var registry = await _context.StartAsync();
        _context.KernelLog.FailNextWrite = new KernelLogUnavailableException("no /dev/kmsg");

        await Assert.ThrowsAsync<KernelLogUnavailableException>(() => _context.InjectAsync(registry, _context.Planned("f-1", "line")));

        Assert.Empty(await registry.ListAsync(false, CancellationToken.None));
        var restarted = await _context.StartAsync();
        Assert.Empty(await restarted.ListAsync(false, CancellationToken.None));
    }

    [Fact]
    public async Task Initialize_PendingEntryWhoseRecordIsInKernelLog_RecordsItActiveWithProof()
    {
        var planned = _context.Planned("f-crash", "NVRM: NVRM: Xid (PCI:0000:3b:00): 79, crash-found") with { BootId = "boot-1" };
        var from = await _context.KernelLog.GetNextSequenceAsync(CancellationToken.None);
        _context.KernelLog.Append(6, "unrelated");
        WriteJournal(new FaultJournalEntry { Op = FaultJournalOperation.Pending, FaultId = planned.FaultId, Fault = planned, FromSequence = from });
        var written = _context.KernelLog.Append(3, planned.Line);

        var registry = await _context.StartAsync();

        var fault = await registry.GetAsync("f-crash", CancellationToken.None);
        Assert.Equal(FaultState.Active, fault.State);
        Assert.Equal(written.Sequence, Assert.Single(fault.Records).Sequence);
    }

    [Fact]
    public async Task Initialize_PendingEntryNotInKernelLog_DropsIt()
    {
        var planned = _context.Planned("f-crash", "never written") with { BootId = "boot-1" };
        _context.KernelLog.Append(3, "never written"); // below the pending sequence: an older line, not this fault's.
        var from = await _context.KernelLog.GetNextSequenceAsync(CancellationToken.None);
        WriteJournal(new FaultJournalEntry { Op = FaultJournalOperation.Pending, FaultId = planned.FaultId, Fault = planned, FromSequence = from });

        var registry = await _context.StartAsync();

        Assert.Empty(await registry.ListAsync(false, CancellationToken.None));
        Assert.DoesNotContain("pending", await File.ReadAllTextAsync(_context.JournalPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_TornTail_KeepsReadableEntriesAndRepairsFile()
    {
        var registry = await _context.StartAsync();
        await _context.InjectAsync(registry, _context.Planned("f-1", "line one"));
        await _context.InjectAsync(registry, _context.Planned("f-2", "line two"));
        registry.Dispose();
        var bytes = await File.ReadAllBytesAsync(_context.JournalPath);
        await File.WriteAllBytesAsync(_context.JournalPath, bytes[..^25]);

        var restarted = await _context.StartAsync();

        // f-2's "recorded" line was torn; its write-ahead "pending" line survived and the kernel log proves the write.
        var faults = await restarted.ListAsync(false, CancellationToken.None);
        Assert.Equal(["f-1", "f-2"], faults.Select(f => f.FaultId));
        Assert.Equal(_context.KernelLog.Records[1].Sequence, faults[1].Records[0].Sequence);
        Assert.EndsWith("\n", await File.ReadAllTextAsync(_context.JournalPath), StringComparison.Ordinal);
        await _context.InjectAsync(restarted, _context.Planned("f-3", "line three"));
        var again = await _context.StartAsync();
        Assert.Equal(["f-1", "f-2", "f-3"], (await again.ListAsync(false, CancellationToken.None)).Select(f => f.FaultId));
    }

    [Fact]
    public async Task Initialize_CorruptLineInTheMiddle_SkipsOnlyThatLine()
    {
        WriteJournal(
            new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = "f-1", Fault = _context.Planned("f-1", "a") with { BootId = "boot-1" } },
            new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = "f-2", Fault = _context.Planned("f-2", "b") with { BootId = "boot-1" } },
            new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = "f-3", Fault = _context.Planned("f-3", "c") with { BootId = "boot-1" } });
        var lines = await File.ReadAllLinesAsync(_context.JournalPath);
        lines[1] = lines[1].Replace("\"f-2\"", "\"f-X\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(_context.JournalPath, lines);

        var registry = await _context.StartAsync();

        Assert.Equal(["f-1", "f-3"], (await registry.ListAsync(false, CancellationToken.None)).Select(f => f.FaultId));
    }

    [Fact]
    public async Task Initialize_GarbageFile_StartsEmpty()
    {
        await File.WriteAllTextAsync(_context.JournalPath, "\0\0\0not a journal\n{\"op\":1}\n");

        var registry = await _context.StartAsync();

        Assert.Empty(await registry.ListAsync(false, CancellationToken.None));
    }

    [Fact]
    public async Task Initialize_BootIdChanged_EndsActiveFaultsAsResolvedByReboot()
    {
        var registry = await _context.StartAsync();
        await _context.InjectAsync(registry, _context.Planned("f-1", "line"));
        await _context.InjectAsync(registry, _context.Planned("f-2", "line 2"));
        await registry.ClearAsync("f-2", "done", CancellationToken.None);
        _context.BootId.BootId = "boot-2";

        var restarted = await _context.StartAsync();

        var rebooted = await restarted.GetAsync("f-1", CancellationToken.None);
        Assert.Equal(FaultState.ResolvedByReboot, rebooted.State);
        Assert.Contains("boot-2", rebooted.EndedReason, StringComparison.Ordinal);
        Assert.Equal(FaultState.Cleared, (await restarted.GetAsync("f-2", CancellationToken.None)).State);
        Assert.Empty(await restarted.ListAsync(activeOnly: true, CancellationToken.None));
    }

    [Fact]
    public async Task EndExpired_DurationPassed_ExpiresOnlyThatFault()
    {
        var registry = await _context.StartAsync();
        await _context.InjectAsync(registry, _context.Planned("short", "a", duration: TimeSpan.FromMinutes(5)));
        await _context.InjectAsync(registry, _context.Planned("long", "b", duration: TimeSpan.FromHours(5)));
        await _context.InjectAsync(registry, _context.Planned("forever", "c"));

        _context.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, await registry.EndExpiredAndPruneAsync(CancellationToken.None));
        _context.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await registry.EndExpiredAndPruneAsync(CancellationToken.None));

        var expired = await registry.GetAsync("short", CancellationToken.None);
        Assert.Equal(FaultState.Expired, expired.State);
        Assert.Equal(expired.ExpiresAt, expired.EndedAt);
        Assert.Equal(["long", "forever"], (await registry.ListAsync(true, CancellationToken.None)).Select(f => f.FaultId));
    }

    [Fact]
    public async Task Clear_UnknownFault_ThrowsNotFound()
    {
        var registry = await _context.StartAsync();

        await Assert.ThrowsAsync<FaultNotFoundException>(() => registry.ClearAsync("nope", "x", CancellationToken.None));
    }

    [Fact]
    public async Task Prune_MoreEndedThanMax_DropsOldestEndedAndKeepsActive()
    {
        _context.Options.MaxEndedRecords = 2;
        var registry = await _context.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            await _context.InjectAsync(registry, _context.Planned($"ended-{i}", $"line {i}"));
            _context.Time.Advance(TimeSpan.FromSeconds(1));
            await registry.ClearAsync($"ended-{i}", "done", CancellationToken.None);
        }

        await _context.InjectAsync(registry, _context.Planned("active", "line active"));

        await registry.EndExpiredAndPruneAsync(CancellationToken.None);

        Assert.Equal(["ended-2", "ended-3", "active"], (await registry.ListAsync(false, CancellationToken.None)).Select(f => f.FaultId));
        var restarted = await _context.StartAsync();
        Assert.Equal(["ended-2", "ended-3", "active"], (await restarted.ListAsync(false, CancellationToken.None)).Select(f => f.FaultId));
    }

    [Fact]
    public async Task Prune_EndedLongerThanRetention_DropsIt()
    {
        _context.Options.EndedRetention = TimeSpan.FromHours(1);
        var registry = await _context.StartAsync();
        await _context.InjectAsync(registry, _context.Planned("old", "a"));
        await registry.ClearAsync("old", "done", CancellationToken.None);

        _context.Time.Advance(TimeSpan.FromMinutes(59));
        await registry.EndExpiredAndPruneAsync(CancellationToken.None);
        Assert.Single(await registry.ListAsync(false, CancellationToken.None));
        _context.Time.Advance(TimeSpan.FromMinutes(2));
        await registry.EndExpiredAndPruneAsync(CancellationToken.None);

        Assert.Empty(await registry.ListAsync(false, CancellationToken.None));
    }

    [Fact]
    public async Task Journal_ManyChanges_IsCompactedAndStillReloads()
    {
        _context.Options.CompactAfterEntries = 16;
        var registry = await _context.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            await _context.InjectAsync(registry, _context.Planned($"f-{i}", $"line {i}"));
        }

        // The compaction runs in the background since #14: the file is compacted once it lands.
        await registry.CompactionUnderWay;
        var lines = (await File.ReadAllLinesAsync(_context.JournalPath)).Length;
        Assert.True(lines < 40, $"expected a compacted journal, found {lines} lines");
        var restarted = await _context.StartAsync();
        Assert.Equal(20, (await restarted.ListAsync(false, CancellationToken.None)).Count);
    }

    private static string Json(FaultRecord fault) =>
        System.Text.Encoding.UTF8.GetString(FaultJournal.Serialize(new FaultJournalEntry { Op = FaultJournalOperation.Recorded, FaultId = fault.FaultId, Fault = fault }));

    private void WriteJournal(params FaultJournalEntry[] entries) =>
        File.WriteAllBytes(_context.JournalPath, [.. entries.SelectMany(FaultJournal.Serialize)]);
}
