namespace FaultApi.Storage;

/// <summary>One step of a <see cref="LeaseRoundsHost"/> round, and what to do when it fails (log it: the next round tries again).</summary>
public sealed record LeaseRoundStep(Func<CancellationToken, Task> RunAsync, Action<Exception> Failed);
