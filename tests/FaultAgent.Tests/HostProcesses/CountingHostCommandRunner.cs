using System.Collections.Concurrent;
using FaultAgent.HostProcesses;

namespace FaultAgent.Tests.HostProcesses;

/// <summary>Wraps the real runner and records every command it was asked to run.</summary>
internal sealed class CountingHostCommandRunner : IHostCommandRunner
{
    private readonly IHostCommandRunner _inner;
    private int _count;

    public CountingHostCommandRunner(IHostCommandRunner inner)
    {
        _inner = inner;
    }

    public int Count => Volatile.Read(ref _count);

    public ConcurrentQueue<HostCommand> Commands { get; } = new();

    public Task<HostCommandResult> RunAsync(HostCommand command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        Commands.Enqueue(command);
        return _inner.RunAsync(command, cancellationToken);
    }
}
