using FaultAgent.Injection;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// A real <see cref="IHostNamespace"/> whose crossings a test can count and step in before: each
/// <see cref="RunAsync{T}"/> is numbered, <see cref="BeforeCrossing"/> runs with that number on the caller's thread, then
/// the work goes to the real namespace thread unchanged.
/// </summary>
public sealed class ObservedHostNamespace(IHostNamespace inner) : IHostNamespace
{
    private int _crossings;

    public int TargetPid => inner.TargetPid;

    /// <summary>Crossings asked for so far.</summary>
    public int Crossings => Volatile.Read(ref _crossings);

    /// <summary>Called with each crossing's number (1, 2, ...) before its work is queued.</summary>
    public Action<int>? BeforeCrossing { get; set; }

    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _crossings);
        BeforeCrossing?.Invoke(number);
        return inner.RunAsync(work, cancellationToken);
    }
}
