namespace FaultAgent.Injection;

/// <summary>
/// The host's kernel log (/dev/kmsg in the target process's mount namespace).
/// Implementations throw <see cref="KernelLogUnavailableException"/> when the log cannot be opened or written, and
/// <see cref="KernelLogRecordLostException"/> when a write reported success but the record never appeared.
/// </summary>
public interface IKernelLog
{
    /// <summary>
    /// Writes each line as one record, in order, and reads each back; returns the records the kernel holds.
    /// A record that did not land is a failure, never a success.
    /// </summary>
    Task<IReadOnlyList<KernelLogRecord>> WriteVerifiedAsync(IReadOnlyList<KernelLogLine> lines, CancellationToken cancellationToken);

    /// <summary>The sequence number the next record will get (records already in the buffer are all below it).</summary>
    Task<ulong> GetNextSequenceAsync(CancellationToken cancellationToken);

    /// <summary>Records still in the kernel's buffer with sequence at or above <paramref name="fromSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<KernelLogRecord>> ReadFromAsync(ulong fromSequence, CancellationToken cancellationToken);
}
