namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// What a <see cref="KernelLogReader"/> hands each record and each gap to, on its reading thread (at SCHED_FIFO when
/// allowed): an implementation must not block or allocate per record, or it stalls the reader it is fed by.
/// </summary>
public interface IKernelLogRecordSink
{
    /// <summary>One record: its header's fields and its text (the bytes of the reader's buffer, valid during the call only).</summary>
    void Record(ulong sequence, int priority, ulong microseconds, ReadOnlySpan<byte> text);

    /// <summary>Sequences <paramref name="first"/> to <paramref name="last"/> (inclusive) were overwritten by the ring before the reader read them; called before the record after them.</summary>
    void Gap(ulong first, ulong last);
}
