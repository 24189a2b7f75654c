namespace FaultAgent.Drivers;

/// <summary>The driver branch whose line formats an injection writes, and where its version came from.</summary>
public sealed record DriverProfile(NvidiaDriverVersion? Version, DriverVersionSource Source)
{
    /// <summary>No version known: the newest format.</summary>
    public static DriverProfile Newest { get; } = new(null, DriverVersionSource.Default);

    public XidLineForm Form => Version is null ? XidLineForm.R575 : FormOf(Version);

    /// <summary>Up to 565.x the driver prints <c>pid='&lt;unknown&gt;', name=&lt;unknown&gt;</c> for an Xid without a process.</summary>
    public bool PrintsUnknownProcess => Form == XidLineForm.R565;

    /// <summary>
    /// The driver can end Xid 45 with <c> caused by previous Xid N</c> from 570.123.01 (open-gpu-kernel-modules'
    /// <c>krcReportXid_IMPL</c>: not in 570.86.15 and 570.86.16, in every 570 release from 570.123.01 and from 575 on).
    /// </summary>
    public bool PrintsRootCause => Form == XidLineForm.R575 || (Form == XidLineForm.R570 && Version!.Minor >= FirstRootCauseMinorOf570);

    /// <summary>The first 570 release that prints Xid 45's root cause is 570.123.01.</summary>
    public const int FirstRootCauseMinorOf570 = 123;

    /// <summary><c>r565</c>, <c>r570</c>, <c>r575</c>: the form's name on the wire.</summary>
    public string FormName => WireName(Form);

    public static string WireName(XidLineForm form) => form switch
    {
        XidLineForm.R565 => "r565",
        XidLineForm.R570 => "r570",
        _ => "r575",
    };

    public static string SourceName(DriverVersionSource source) => source switch
    {
        DriverVersionSource.Node => "node",
        DriverVersionSource.Request => "request",
        _ => "default",
    };

    public static XidLineForm FormOf(NvidiaDriverVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return version.Major switch
        {
            < 570 => XidLineForm.R565,
            < 575 => XidLineForm.R570,
            _ => XidLineForm.R575,
        };
    }
}
