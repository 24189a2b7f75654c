namespace FaultAgent.Dcgm;

/// <summary>How a value written into DCGM for a fault was taken back when the fault ended.</summary>
public enum DcgmRestoreState
{
    /// <summary>The fault is open, or its restore has not run yet.</summary>
    None,

    /// <summary>The restore value was written and read back.</summary>
    Restored,

    /// <summary>Another open fault wrote the same field of the same GPU; it restores the field when it ends.</summary>
    Held,

    /// <summary>The write-back failed; the agent retries it.</summary>
    Failed,

    /// <summary>The node rebooted since: its hostengine started over and holds no injected value.</summary>
    NotNeeded,
}
