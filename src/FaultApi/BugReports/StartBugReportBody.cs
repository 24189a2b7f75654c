using System.Text.Json.Serialization;

namespace FaultApi.BugReports;

/// <summary>Body of <c>POST /api/v1/bug-reports</c>.</summary>
public sealed class StartBugReportBody
{
    [JsonPropertyName("node_name")]
    public string? NodeName { get; set; }
}
