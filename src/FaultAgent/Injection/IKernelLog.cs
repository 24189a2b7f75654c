namespace FaultAgent.Injection;

/// <summary>
/// The host's kernel log (/dev/kmsg in the target process's mount namespace).
/// Implementations throw, from <see cref="WriteVerifiedAsync"/>, only what they can prove:
/// <see cref="KernelLogUnavailableException"/> when the log cannot be opened or the first record cannot be written and
/// <see cref="KernelLogRecordLostException"/> when the first record provably did not land (nothing was written in either
/// case); <see cref="KernelLogWriteIncompleteException"/> for everything else that is not a full success — some records
/// landed and the next did not (partial), or a record may have landed but cannot be proven (unknown).
/// </summary>
public interface IKernelLog
{
    /// <summary>
    /// Writes each line as one record, in order, each only after the one before was read back as ours
    /// (<see cref="KernelRecordReadBack"/>); returns the records the kernel holds. A record that did not land is a
    /// failure, never a success; after a failed record no further line is written.
    /// <paramref name="beforeWrite"/>, when given, is called once (also for no lines) with the sequence number the first record will get at
    /// the earliest (every record already in the log is below it), after that number is known and before anything is
    /// written, in the same serialized step as the write (no other write of this log comes between): the place to make
    /// a write-ahead entry durable. If it throws, nothing is written and its exception propagates unchanged. It may run
    /// on another thread than the caller's, one that has entered the host's mount namespace: it must not open files by path.
    /// Once it has been called the write goes through whatever <paramref name="cancellationToken"/> does.
    /// </summary>
    Task<IReadOnlyList<KernelLogRecord>> WriteVerifiedAsync(IReadOnlyList<KernelLogLine> lines, Action<ulong>? beforeWrite, CancellationToken cancellationToken);

    /// <summary>The sequence number the next record will get (records already in the buffer are all below it).</summary>
    Task<ulong> GetNextSequenceAsync(CancellationToken cancellationToken);

    /// <summary>Records still in the kernel's buffer with sequence at or above <paramref name="fromSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<KernelLogRecord>> ReadFromAsync(ulong fromSequence, CancellationToken cancellationToken);
}
