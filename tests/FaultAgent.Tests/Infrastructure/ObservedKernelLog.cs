using FaultAgent.Injection;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// A real <see cref="IKernelLog"/> whose batch writes a test can count and step in before: each
/// <see cref="WriteVerifiedBatchAsync"/> is numbered and <see cref="BeforeBatch"/> is awaited with that number on the
/// caller's path (it may hold the batch), then the batch goes to the real log unchanged.
/// </summary>
public sealed class ObservedKernelLog(IKernelLog inner) : IKernelLog
{
    private int _batches;

    /// <summary>Batch writes asked for so far.</summary>
    public int Batches => Volatile.Read(ref _batches);

    /// <summary>Awaited with each batch write's number (1, 2, ...) before it reaches the real log.</summary>
    public Func<int, Task>? BeforeBatch { get; set; }

    public Task<IReadOnlyList<KernelLogRecord>> WriteVerifiedAsync(IReadOnlyList<KernelLogLine> lines, Action<ulong>? beforeWrite, CancellationToken cancellationToken) =>
        inner.WriteVerifiedAsync(lines, beforeWrite, cancellationToken);

    public async Task WriteVerifiedBatchAsync(IReadOnlyList<IReadOnlyList<KernelLogLine>> members, Action<ulong>? beforeWrite, List<KernelLogWriteResult> results, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _batches);
        if (BeforeBatch is { } before)
        {
            await before(number);
        }

        await inner.WriteVerifiedBatchAsync(members, beforeWrite, results, cancellationToken);
    }

    public Task<ulong> GetNextSequenceAsync(CancellationToken cancellationToken) => inner.GetNextSequenceAsync(cancellationToken);

    public Task<IReadOnlyList<KernelLogRecord>> ReadFromAsync(ulong fromSequence, CancellationToken cancellationToken) =>
        inner.ReadFromAsync(fromSequence, cancellationToken);
}
