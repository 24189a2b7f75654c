using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// Holds a registry's compaction at one step (on the compaction's own thread) until released or disposed, at most
/// <see cref="Longest"/>: longer than a test waits for a change made meanwhile, so a change the hold blocks fails the test.
/// </summary>
internal sealed class CompactionHold : IDisposable
{
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _release = new();

    public CompactionHold(FaultRegistry registry, FaultJournalCompactionStep step) =>
        registry.CompactionStepReached = reached =>
        {
            if (reached == step)
            {
                _reached.TrySetResult();
                _release.Wait(Longest);
            }
        };

    public Task ReachedAsync() => _reached.Task.WaitAsync(Patience);

    public void Release() => _release.Set();

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }
}
