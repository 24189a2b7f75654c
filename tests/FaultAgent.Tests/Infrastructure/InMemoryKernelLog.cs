using FaultAgent.Injection;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>Test-only kernel log: a list with sequence numbers, that can be told to fail the next writes.</summary>
public sealed class InMemoryKernelLog : IKernelLog
{
    private readonly Lock _lock = new();
    private readonly List<KernelLogRecord> _records = [];
    private ulong _nextSequence = 1000;

    public int WriteCalls { get; private set; }

    /// <summary>Thrown by the next write instead of writing.</summary>
    public Exception? FailNextWrite { get; set; }

    /// <summary>
    /// Run inside each write right after the caller's pending entry was journaled (its <c>beforeWrite</c>) and before the
    /// write itself or <see cref="FailNextWrite"/>: a test makes the journal unwritable there, so that what the agent
    /// saves after the write (the record, or the abandon of a refused write) fails.
    /// </summary>
    public Action? AfterPendingJournaled { get; set; }

    /// <summary>Thrown by every read (<see cref="ReadFromAsync"/>) while set: a kernel log the agent cannot read at its start.</summary>
    public Exception? FailReads { get; set; }

    /// <summary>Awaited inside each write (after taking nothing), to hold writers while a test races them.</summary>
    public Func<Task>? BeforeWrite { get; set; }

    public IReadOnlyList<KernelLogRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>Appends a record as if someone else (or a crashed agent) wrote it.</summary>
    public KernelLogRecord Append(int level, string text)
    {
        lock (_lock)
        {
            var record = new KernelLogRecord(_nextSequence, _nextSequence * 10, 1, level, text);
            _nextSequence++;
            _records.Add(record);
            return record;
        }
    }

    /// <summary>
    /// As the real log: <paramref name="beforeWrite"/> gets the next sequence and runs before anything is written, with
    /// no other write in between (this log's lock is held across it and the write); if it throws nothing is written.
    /// </summary>
    public async Task<IReadOnlyList<KernelLogRecord>> WriteVerifiedAsync(IReadOnlyList<KernelLogLine> lines, Action<ulong>? beforeWrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        cancellationToken.ThrowIfCancellationRequested();
        if (BeforeWrite is { } before)
        {
            await before().ConfigureAwait(false);
        }

        lock (_lock)
        {
            WriteCalls++;
            beforeWrite?.Invoke(_nextSequence);
            AfterPendingJournaled?.Invoke();
            if (FailNextWrite is { } failure)
            {
                FailNextWrite = null;
                throw failure;
            }

            return [.. lines.Select(l => Append(l.Level, l.Text))];
        }
    }

    public Task<ulong> GetNextSequenceAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_nextSequence);
        }
    }

    public Task<IReadOnlyList<KernelLogRecord>> ReadFromAsync(ulong fromSequence, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (FailReads is { } failure)
            {
                return Task.FromException<IReadOnlyList<KernelLogRecord>>(failure);
            }

            return Task.FromResult<IReadOnlyList<KernelLogRecord>>([.. _records.Where(r => r.Sequence >= fromSequence)]);
        }
    }
}
