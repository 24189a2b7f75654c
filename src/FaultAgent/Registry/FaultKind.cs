namespace FaultAgent.Registry;

public enum FaultKind
{
    Xid,
    Sxid,

    /// <summary>A DCGM field set with dcgmi (no kernel-log record).</summary>
    DcgmField,
}
