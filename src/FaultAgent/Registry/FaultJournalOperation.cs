namespace FaultAgent.Registry;

/// <summary>What one journal line records.</summary>
public enum FaultJournalOperation
{
    /// <summary>Written before the kernel-log write: the planned fault and the kernel sequence the write will start at.</summary>
    Pending,
    /// <summary>The fault as recorded (a completed injection, a resolved pending entry, or a compacted snapshot).</summary>
    Recorded,
    /// <summary>A pending write that failed: nothing was recorded.</summary>
    Abandoned,
    /// <summary>A fault that ended (cleared, expired, resolved by reboot).</summary>
    Ended,
    /// <summary>An ended record dropped by the retention limits.</summary>
    Pruned,
}
