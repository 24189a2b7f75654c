namespace FaultAgent.Tests.Compatibility;

/// <summary>Which of the driver's records a text is: the Xid or SXid line, one of their companion records, or another.</summary>
internal static class MonitorRecordKind
{
    public const string XidLine = "Xid line";
    public const string SxidLine = "SXid line";
    public const string SxidSeverity = "SXid Severity follow-up";
    public const string SxidData = "SXid Data follow-up";
    public const string GpuAt = "preamble GPU at PCI";
    public const string BoardSerial = "preamble Board Serial Number";
    public const string FallenOff = "Xid 79 follow-up fallen off the bus";
    public const string SerialNumber = "Xid 79 follow-up serial number";
    public const string Probe = "probe record fallen off the bus";
    public const string Other = "other";

    public static string Of(string text) => text switch
    {
        _ when text.Contains(": SXid (", StringComparison.Ordinal) && text.Contains("): ", StringComparison.Ordinal) =>
            text.Contains(", Severity ", StringComparison.Ordinal) ? SxidSeverity : text.Contains(", Data {", StringComparison.Ordinal) ? SxidData : SxidLine,
        _ when text.StartsWith("NVRM: Xid (", StringComparison.Ordinal) => XidLine,
        _ when text.StartsWith("NVRM: GPU at PCI:", StringComparison.Ordinal) => GpuAt,
        _ when text.StartsWith("NVRM: GPU Board Serial Number:", StringComparison.Ordinal) => BoardSerial,
        _ when text.StartsWith("NVRM: GPU ", StringComparison.Ordinal) && text.EndsWith(": GPU has fallen off the bus.", StringComparison.Ordinal) => FallenOff,
        _ when text.StartsWith("NVRM: GPU ", StringComparison.Ordinal) && text.Contains(": GPU serial number is ", StringComparison.Ordinal) => SerialNumber,
        _ when text.StartsWith("NVRM: The NVIDIA GPU ", StringComparison.Ordinal) => Probe,
        _ => Other,
    };
}
