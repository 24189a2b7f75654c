using System.Text.Json.Serialization;

namespace FaultAgent.BugReports;

/// <summary>Source-generated JSON for the metadata files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(BugReportRecord))]
internal sealed partial class BugReportJsonContext : JsonSerializerContext;
