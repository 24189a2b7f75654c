namespace FaultAgent.BugReports;

/// <summary>The report a start asked for: a new one, or the one already running (<see cref="AlreadyRunning"/>) returned instead.</summary>
public sealed record BugReportStart(BugReport Report, bool AlreadyRunning);
