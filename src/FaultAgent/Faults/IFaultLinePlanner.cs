using FaultAgent.Xids;

namespace FaultAgent.Faults;

/// <summary>
/// The catalog and the driver's line formats, as the injection service sees them: composes the exact records an
/// injection writes, validating caller text. Throws <see cref="FaultRequestInvalidException"/> for an unknown code
/// without a message, or for text the driver could not have printed.
/// </summary>
public interface IFaultLinePlanner
{
    IReadOnlyList<XidCatalogEntry> Xids { get; }

    IReadOnlyList<SxidCatalogEntry> Sxids { get; }

    FaultLinePlan PlanXid(XidLineRequest request);

    FaultLinePlan PlanSxid(SxidLineRequest request);
}
