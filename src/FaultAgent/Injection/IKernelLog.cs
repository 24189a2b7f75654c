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

    /// <summary>
    /// Writes a batch of members (each a list of lines) in one serialized step, as <see cref="WriteVerifiedAsync"/> would
    /// write them one after the other: <paramref name="beforeWrite"/> once, before anything is written, with the sequence
    /// the first record will get at the earliest; then each member's lines, each line written only after the one before
    /// was read back as ours, and each member only after the one before it was fully read back. The first member that is
    /// not fully written (incomplete, lost, unavailable, refused) ends the batch: its error is its result and NOTHING of a
    /// later member is written, so the caller can record that member's outcome before it writes the rest.
    /// <paramref name="results"/> gets one entry per member with an outcome, in batch order (every member, or up to and
    /// including the one that stopped it). Throws, with nothing written and nothing added to <paramref name="results"/>,
    /// when the batch cannot start: the log cannot be reached, the first member's lines are refused, or
    /// <paramref name="beforeWrite"/> throws (its exception propagates unchanged). Once <paramref name="beforeWrite"/>
    /// has been called the batch goes through whatever <paramref name="cancellationToken"/> does.
    /// This default writes each member with its own <see cref="WriteVerifiedAsync"/>; <see cref="DevKmsgKernelLog"/>
    /// writes the whole batch in one step under its I/O gate.
    /// </summary>
    async Task WriteVerifiedBatchAsync(IReadOnlyList<IReadOnlyList<KernelLogLine>> members, Action<ulong>? beforeWrite, List<KernelLogWriteResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(results);
        var started = false;
        Action<ulong> first = sequence =>
        {
            beforeWrite?.Invoke(sequence);
            started = true;
        };

        for (var i = 0; i < members.Count; i++)
        {
            IReadOnlyList<KernelLogRecord> records;
            try
            {
                records = await WriteVerifiedAsync(members[i], i == 0 ? first : null, started ? CancellationToken.None : cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (i == 0 && !started)
            {
                throw;
            }
            catch (Exception e)
            {
                results.Add(new KernelLogWriteResult(null, e));
                return;
            }

            started = true;
            results.Add(new KernelLogWriteResult(records, null));
        }
    }

    /// <summary>The sequence number the next record will get (records already in the buffer are all below it).</summary>
    Task<ulong> GetNextSequenceAsync(CancellationToken cancellationToken);

    /// <summary>Records still in the kernel's buffer with sequence at or above <paramref name="fromSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<KernelLogRecord>> ReadFromAsync(ulong fromSequence, CancellationToken cancellationToken);
}
