using System.Text.Json.Serialization;

namespace FaultAgent.BugReports;

/// <summary>Where a report is in its life (stored by name in metadata.json).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BugReportStatus>))]
public enum BugReportStatus
{
    Running,
    Succeeded,
    Failed,
    TimedOut,
}
