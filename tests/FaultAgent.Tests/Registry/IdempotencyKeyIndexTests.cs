using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// The registry finds a fault by its idempotency key through its key index (<see cref="FaultRecordSlots"/> by
/// <see cref="FaultRecordSlotKey.IdempotencyKey"/>), with the API's keys held as their bytes (#14, the agent's memory):
/// a retry with the same key replays, a different request under it is refused, after clears, restarts and prunes as before.
/// </summary>
public sealed class IdempotencyKeyIndexTests : IDisposable
{
    private const string ApiKey = "api-5d41402abc4b2a76b9719d911017c592aabbccddeeff0011";

    private readonly RegistryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task RecordInjection_ApiKeyRetried_ReplaysWithoutWriting_DifferentRequestConflicts_UppercaseIsAnotherKey()
    {
        var registry = await _context.StartAsync();
        var first = await _context.InjectAsync(registry, _context.Planned("f-1", "line", ApiKey));

        var retry = await _context.InjectAsync(registry, _context.Planned("f-other", "line", new string(ApiKey.AsSpan())));
        var conflict = await Assert.ThrowsAsync<FaultRequestConflictException>(
            () => _context.InjectAsync(registry, _context.Planned("f-2", "other line", ApiKey, fingerprint: "fp-2")));
        var other = await _context.InjectAsync(registry, _context.Planned("f-3", "line", ApiKey.ToUpperInvariant()));

        Assert.True(retry.Replayed);
        Assert.Equal(first.Fault, retry.Fault);
        Assert.Equal(ApiKey, retry.Fault.IdempotencyKey);
        Assert.Equal("idempotency_key", conflict.Field);
        Assert.Equal("f-1", conflict.ExistingFaultId);
        Assert.Contains($"Idempotency key '{ApiKey}' was already used for a different request (fault 'f-1').", conflict.Message, StringComparison.Ordinal);
        Assert.False(other.Replayed);
        Assert.Equal(2, _context.KernelLog.Records.Count);
    }

    [Fact]
    public async Task FindReplay_ApiKeyAfterClearAndRestart_FindsTheFaultAsItEnded()
    {
        var registry = await _context.StartAsync();
        await _context.InjectAsync(registry, _context.Planned("f-1", "line one", ApiKey));
        await _context.InjectAsync(registry, _context.Planned("f-2", "line two", "key-2"));
        await registry.ClearAsync("f-1", "cleared by test", CancellationToken.None);

        var restarted = await _context.StartAsync();

        var replay = await restarted.FindReplayAsync(null, ApiKey, "fp-1", CancellationToken.None);
        Assert.Equal(("f-1", FaultState.Cleared, ApiKey), (replay?.FaultId, replay?.State, replay?.IdempotencyKey));
        Assert.Equal("f-2", (await restarted.FindReplayAsync(null, "key-2", "fp-1", CancellationToken.None))?.FaultId);
        await Assert.ThrowsAsync<FaultRequestConflictException>(async () => await restarted.FindReplayAsync(null, ApiKey, "fp-2", CancellationToken.None));
        Assert.Null(await restarted.FindReplayAsync(null, ApiKey.Replace("5d41", "5d42", StringComparison.Ordinal), "fp-1", CancellationToken.None));
    }

    [Fact]
    public async Task FindReplay_ThousandsOfApiKeys_EachFindsItsOwnFault()
    {
        var registry = await _context.StartAsync();
        var pipeline = _context.Pipeline(registry);
        for (var i = 0; i < 2_000; i++)
        {
            var planned = _context.Planned($"f-{i}", $"line {i}", Key(i));
            await pipeline.WriteAsync(planned, RegistryTestContext.Lines(planned), CancellationToken.None);
        }

        for (var i = 0; i < 2_000; i++)
        {
            Assert.Equal($"f-{i}", (await registry.FindReplayAsync(null, Key(i), "fp-1", CancellationToken.None))?.FaultId);
        }

        Assert.Null(await registry.FindReplayAsync(null, Key(2_000), "fp-1", CancellationToken.None));
    }

    private static string Key(int i) => $"api-{i:x48}";
}
