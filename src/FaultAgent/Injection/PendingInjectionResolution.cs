using System.Globalization;
using FaultAgent.Registry;

namespace FaultAgent.Injection;

/// <summary>
/// What a pending entry left by a crash stands for, judged from the kernel log records at and after the sequence it was
/// about to be written at, by the same rule as the live read-back (<see cref="KernelRecordReadBack"/>): every planned
/// record found as ours → active; none found with every sequence seen → nothing was written (null); the first ones
/// found and the next provably not → partially written; sequences missing (rotated out of the ring while the agent was
/// down) before all were found → outcome unknown. Never "nothing written" on a guess. With a bound (an entry an earlier
/// start kept unresolved: <see cref="FaultJournalEntry.BeforeSequence"/>) only the records below it are looked at: the
/// entry's records were all written before it, and the ones from it on are a later life's.
/// </summary>
public static class PendingInjectionResolution
{
    /// <summary>The fault to record, or null when the kernel log proves nothing of it was written.</summary>
    public static FaultRecord? Resolve(FaultRecord planned, ulong fromSequence, IReadOnlyList<KernelLogRecord> records, DateTimeOffset observedAt) =>
        Resolve(planned, fromSequence, beforeSequence: null, records, observedAt);

    /// <summary>
    /// The fault to record, or null when the kernel log proves nothing of it was written, looking only at records below
    /// <paramref name="beforeSequence"/> when it is given.
    /// </summary>
    public static FaultRecord? Resolve(FaultRecord planned, ulong fromSequence, ulong? beforeSequence, IReadOnlyList<KernelLogRecord> records, DateTimeOffset observedAt)
    {
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(records);
        if (planned.Records.Count == 0)
        {
            return null;
        }

        var readBack = new KernelRecordReadBack([.. planned.Records.Select(r => new KernelLogLine(r.Level, r.Text))], fromSequence);
        foreach (var record in records)
        {
            if (beforeSequence is { } bound && record.Sequence >= bound)
            {
                readBack.EndBefore(bound, record.Sequence);
                break;
            }

            readBack.Observe(record);
            if (readBack.IsComplete || readBack.SawGap)
            {
                break;
            }
        }

        return readBack.Outcome switch
        {
            ReadBackOutcome.Verified => planned with
            {
                State = FaultState.Active,
                WriteOutcome = FaultWriteOutcome.Verified,
                Records = [.. readBack.Matched.Select(r => IncompleteWrites.Proof(r, observedAt))],
            },
            ReadBackOutcome.NotFound when readBack.Matched.Count == 0 => null,
            ReadBackOutcome.NotFound => IncompleteWrites.Record(planned, readBack.Matched, outcomeUnknown: false, string.Create(CultureInfo.InvariantCulture,
                $"The agent stopped during the write: records 1-{readBack.Matched.Count} of {planned.Records.Count} are in the kernel log, record {readBack.Matched.Count + 1} is not (every record from sequence {fromSequence} {(beforeSequence is { } before ? "to " + (before - 1).ToString(CultureInfo.InvariantCulture) : "on")} was read at the next start)."), observedAt),
            _ => IncompleteWrites.Record(planned, readBack.Matched, outcomeUnknown: true, string.Create(CultureInfo.InvariantCulture,
                $"The agent stopped during the write, and by its next start the kernel's ring no longer held the records from sequence {readBack.GapAt} on: whether record {readBack.Matched.Count + 1} of {planned.Records.Count} landed cannot be proven (an identical record after them would not prove it ours)."), observedAt),
        };
    }
}
