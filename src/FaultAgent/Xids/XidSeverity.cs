namespace FaultAgent.Xids;

public enum XidSeverity
{
    Info,
    Warning,
    Critical,
}
