namespace FaultAgent.BugReports;

/// <summary>One page of the node's reports, newest first; <see cref="NextPageToken"/> is empty on the last page.</summary>
public sealed record BugReportList(string NodeName, IReadOnlyList<BugReport> Reports, string NextPageToken, int TotalSize);
