using FaultInjection.Client.Faults;

namespace FaultInjection.Client.BugReports;

/// <summary><c>GET /api/v1/bug-reports?node=</c>: newest first, and the nodes that did not answer.</summary>
public sealed class BugReportList
{
    /// <summary>The reports, newest first.</summary>
    public IReadOnlyList<BugReport> Reports { get; init; } = [];

    /// <summary>How many reports this answer holds.</summary>
    public int Count { get; init; }

    /// <summary>The nodes whose agents answered.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>The nodes whose agents did not answer, and why.</summary>
    public IReadOnlyList<NodeError> Errors { get; init; } = [];
}
