namespace FaultAgent.Drivers;

/// <summary>
/// How a driver branch prints an Xid line (<c>src/nvidia/src/kernel/gpu/rc/kernel_rc.c</c>, <c>krcReportXid</c>).
/// </summary>
public enum XidLineForm
{
    /// <summary>Up to 565.x: <c>pid=%s, name=%s, </c> always; an unknown process prints <c>pid='&lt;unknown&gt;', name=&lt;unknown&gt;</c>.</summary>
    R565,

    /// <summary>570 to 574: the pid/name fields are left out when there is no process.</summary>
    R570,

    /// <summary>575 and later: as 570 (whose releases from 570.123.01 also end Xid 45 with <c> caused by previous Xid N</c>).</summary>
    R575,
}
