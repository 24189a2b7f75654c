namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// An agent answer taken at once and sent only when the test releases it: an answer that ages in flight while other
/// calls go on (<see cref="TestAgentService.HoldNextListAnswer"/>).
/// </summary>
public sealed class HeldAnswer
{
    private readonly TaskCompletionSource _taken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the agent has computed the answer it holds.</summary>
    public Task Taken => _taken.Task;

    public void Release() => _released.TrySetResult();

    internal async Task HoldAsync(CancellationToken cancellationToken)
    {
        _taken.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
