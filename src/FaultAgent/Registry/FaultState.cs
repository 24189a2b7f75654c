namespace FaultAgent.Registry;

/// <summary>Where a recorded fault is in its life. Only <see cref="Active"/> faults count as present on the node.</summary>
public enum FaultState
{
    Active,
    /// <summary>Ended by a ClearFault call. The kernel-log line stays in the log: a clear cannot remove it.</summary>
    Cleared,
    /// <summary>Its duration passed; ended by the agent itself.</summary>
    Expired,
    /// <summary>The node rebooted since injection (the boot id changed), so the kernel log no longer holds the line.</summary>
    ResolvedByReboot,
}
