namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// What one record means: an Xid or SXid <see cref="Code"/> on <see cref="Device"/> (<c>dddd:bb:dd</c> for a GPU,
/// <c>dddd:bb:dd.f</c> for a switch), or nothing a monitor should report (<see cref="RecordKind"/> a serial number line,
/// or the PCI→UUID preamble, which NVSentinel keeps as a mapping, not an event).
/// </summary>
internal sealed record MonitorIntent(string RecordKind, string Kind, int Code, string Device)
{
    public static MonitorIntent Of(MonitorCase @case, string driverText)
    {
        var kind = MonitorRecordKind.Of(driverText);
        return kind switch
        {
            MonitorRecordKind.XidLine => new(kind, "Xid", @case.Code, @case.Device),
            MonitorRecordKind.FallenOff or MonitorRecordKind.Probe => new(kind, "Xid", 79, @case.Device),
            MonitorRecordKind.SxidLine or MonitorRecordKind.SxidSeverity or MonitorRecordKind.SxidData => new(kind, "SXid", @case.Code, @case.Device),
            _ => new(kind, "none", 0, ""),
        };
    }

    /// <summary>Whether a monitor that reads this record at all should report a code for it.</summary>
    public bool Expects(string monitor) => Kind != "none";

    /// <summary>
    /// A finding agrees with the intent when it has the code and names the device (a GPU's <c>dddd:bb:dd</c> or, as
    /// NVSentinel's GPU-fallen handler does, its <c>dddd:bb:dd.0</c>) or none (Konduktor names no device).
    /// </summary>
    public bool Accepts(string monitor, MonitorFinding finding) =>
        Kind != "none"
        && finding.Code == Code
        && (finding.Device.Length == 0 || finding.Device == Device || finding.Device == Device + ".0")
        && (finding.Kind == Kind || finding.Kind == "fallen off" || finding.Kind == "(S)Xid");

    public override string ToString() => Kind == "none" ? $"nothing ({RecordKind})" : $"{Kind} {Code} @{Device} ({RecordKind})";
}
