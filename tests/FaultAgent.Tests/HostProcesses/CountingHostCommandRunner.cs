using System.Collections.Concurrent;
using FaultAgent.HostProcesses;

namespace FaultAgent.Tests.HostProcesses;

/// <summary>
/// Wraps the real runner and records every command it was asked to run. <c>beforeRun</c>, when given, runs first on
/// each call (a test's stand-in for what happens before the runner starts the program: a slow spawn on the fake clock).
/// </summary>
internal sealed class CountingHostCommandRunner : IHostCommandRunner
{
    private readonly IHostCommandRunner _inner;
    private readonly Action? _beforeRun;
    private readonly TaskCompletionSource _returned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public CountingHostCommandRunner(IHostCommandRunner inner, Action? beforeRun = null)
    {
        _inner = inner;
        _beforeRun = beforeRun;
    }

    public int Count => Volatile.Read(ref _count);

    public ConcurrentQueue<HostCommand> Commands { get; } = new();

    /// <summary>Completes once the inner runner has returned its first run's task (its program started, its timeout counting).</summary>
    public Task FirstReturned => _returned.Task;

    public Task<HostCommandResult> RunAsync(HostCommand command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        Commands.Enqueue(command);
        _beforeRun?.Invoke();
        var run = _inner.RunAsync(command, cancellationToken);
        _returned.TrySetResult();
        return run;
    }
}
