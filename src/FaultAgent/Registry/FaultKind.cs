namespace FaultAgent.Registry;

public enum FaultKind
{
    Xid,
    Sxid,
}
