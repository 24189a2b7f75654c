namespace FaultAgent.Registry;

/// <summary>
/// Where a recorded fault is in its life. <see cref="Active"/>, <see cref="OutcomeUnknown"/> and
/// <see cref="PartiallyWritten"/> are open (<see cref="FaultStateExtensions.IsOpen"/>): a line may be in the kernel log,
/// so the fault counts as present until it ends.
/// </summary>
public enum FaultState
{
    Active,
    /// <summary>Ended by a ClearFault call. The kernel-log line stays in the log: a clear cannot remove it.</summary>
    Cleared,
    /// <summary>Its duration passed; ended by the agent itself.</summary>
    Expired,
    /// <summary>The node rebooted since injection (the boot id changed), so the kernel log no longer holds the line.</summary>
    ResolvedByReboot,
    /// <summary>The write was attempted but whether (all) its records landed cannot be proven (they left the ring before being read back).</summary>
    OutcomeUnknown,
    /// <summary>Some records landed (proven), a later one did not: the write stopped part way.</summary>
    PartiallyWritten,
}
