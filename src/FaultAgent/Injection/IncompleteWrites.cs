using FaultAgent.Registry;

namespace FaultAgent.Injection;

/// <summary>The records of a fault whose write did not fully land: the proven ones, and the rest as unconfirmed.</summary>
public static class IncompleteWrites
{
    /// <summary>
    /// <paramref name="planned"/> as written: <paramref name="landed"/> (proven, with <paramref name="observedAt"/>) as its
    /// records, the remaining planned records as unconfirmed, state and write outcome
    /// <see cref="FaultState.OutcomeUnknown"/> (when <paramref name="outcomeUnknown"/>) or <see cref="FaultState.PartiallyWritten"/>.
    /// </summary>
    public static FaultRecord Record(FaultRecord planned, IReadOnlyList<KernelLogRecord> landed, bool outcomeUnknown, string error, DateTimeOffset observedAt)
    {
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(landed);
        return planned with
        {
            State = outcomeUnknown ? FaultState.OutcomeUnknown : FaultState.PartiallyWritten,
            WriteOutcome = outcomeUnknown ? FaultWriteOutcome.Unknown : FaultWriteOutcome.PartiallyWritten,
            Records = [.. landed.Select(r => Proof(r, observedAt))],
            UnconfirmedRecords = [.. planned.Records.Skip(landed.Count).Select(r => r with { Sequence = 0, TimestampMicroseconds = 0, ObservedAt = null })],
            WriteError = error,
        };
    }

    /// <summary>A kernel record as the fault keeps it.</summary>
    public static FaultKernelRecord Proof(KernelLogRecord record, DateTimeOffset observedAt)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new FaultKernelRecord(record.Text, record.Level, record.Facility, record.Sequence, record.TimestampMicroseconds, observedAt);
    }
}
