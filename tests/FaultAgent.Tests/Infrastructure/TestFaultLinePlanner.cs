using FaultAgent.Faults;
using FaultAgent.Injection;
using FaultAgent.Xids;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>Test-only line planner with a two-entry catalog and the driver's Xid line shape.</summary>
public sealed class TestFaultLinePlanner : IFaultLinePlanner
{
    public IReadOnlyList<XidCatalogEntry> Xids { get; } =
    [
        new(79, "GPU has fallen off the bus", "GPU has fallen off the bus", "GPU has fallen off the bus.", XidSeverity.Critical, "RESTART_BM", 3),
        new(13, "Graphics Engine Exception", "Graphics Engine Exception", "Graphics Exception: ESR 0x0", XidSeverity.Warning, "RESTART_APP", 4),
    ];

    public IReadOnlyList<SxidCatalogEntry> Sxids { get; } = [new(12028, "Minion link NA interrupt", true, "Minion Link NA interrupt", "RESTART_BM")];

    public FaultLinePlan PlanXid(XidLineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = Xids.FirstOrDefault(x => x.Xid == request.Xid);
        var message = string.IsNullOrEmpty(request.Message)
            ? entry?.DefaultMessage ?? throw new FaultRequestInvalidException([new("message", $"is required for Xid {request.Xid}, which is not in the catalog")])
            : request.Message;
        var line = $"NVRM: Xid (PCI:{request.Gpu.XidPci}): {request.Xid}, pid='<unknown>', name=<unknown>, {message}";
        var level = entry?.Level ?? 3;
        List<KernelLogLine> lines = [new(level, "NVRM: " + line)];
        if (request.CompanionLines)
        {
            lines.Insert(0, new(level, $"NVRM: NVRM: GPU at PCI:{request.Gpu.XidPci}: {request.Gpu.Uuid}"));
        }

        return new FaultLinePlan(line, message, lines, entry?.Severity.ToString().ToLowerInvariant() ?? "critical", entry?.RecommendedAction ?? "CONTACT_SUPPORT");
    }

    public FaultLinePlan PlanSxid(SxidLineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = Sxids.FirstOrDefault(s => s.Sxid == request.Sxid);
        var message = string.IsNullOrEmpty(request.Message) ? entry?.DefaultMessage ?? "Unknown" : request.Message;
        var line = $"nvidia-nvswitch{request.NvSwitch}: SXid (PCI:{request.PciBusId}): {request.Sxid}, {message}";
        return new FaultLinePlan(line, message, [new(3, line)], "critical", entry?.RecommendedAction ?? "CONTACT_SUPPORT");
    }
}
