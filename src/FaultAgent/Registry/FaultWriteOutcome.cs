namespace FaultAgent.Registry;

/// <summary>How an injection's kernel-log write ended; kept after the fault ends, so a retry replays the same answer.</summary>
public enum FaultWriteOutcome
{
    /// <summary>Every record was read back: ours, at or after the sequence the write started at, every sequence in between seen.</summary>
    Verified,
    /// <summary>A record may have landed but cannot be proven (see <see cref="FaultState.OutcomeUnknown"/>).</summary>
    Unknown,
    /// <summary>The first records landed, a later one did not (see <see cref="FaultState.PartiallyWritten"/>).</summary>
    PartiallyWritten,
}
