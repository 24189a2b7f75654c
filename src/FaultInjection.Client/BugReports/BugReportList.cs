using FaultInjection.Client.Faults;

namespace FaultInjection.Client.BugReports;

/// <summary><c>GET /api/v1/bug-reports?node=</c>: newest first, and the nodes that did not answer.</summary>
public sealed class BugReportList
{
    public IReadOnlyList<BugReport> Reports { get; init; } = [];

    public int Count { get; init; }

    public IReadOnlyList<string> Nodes { get; init; } = [];

    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
