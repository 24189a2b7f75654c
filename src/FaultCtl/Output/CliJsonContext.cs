using System.Text.Json;
using System.Text.Json.Serialization;
using FaultCtl.BugReports;
using FaultInjection.Client.BugReports;
using FaultInjection.Client.Drills;
using FaultInjection.Client.EmergencyStop;
using FaultInjection.Client.Faults;
using FaultInjection.Client.Nodes;
using FaultInjection.Client.Suites;
using FaultInjection.Client.Xids;

namespace FaultCtl.Output;

/// <summary>The client's typed answers written back as the API's snake_case JSON (<c>--output json</c>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true)]
[JsonSerializable(typeof(Fault))]
[JsonSerializable(typeof(FaultList))]
[JsonSerializable(typeof(MultiInjection))]
[JsonSerializable(typeof(List<Fault>))]
[JsonSerializable(typeof(NodeList))]
[JsonSerializable(typeof(XidCatalog))]
[JsonSerializable(typeof(Drill))]
[JsonSerializable(typeof(DrillList))]
[JsonSerializable(typeof(DrillEvent))]
[JsonSerializable(typeof(Suite))]
[JsonSerializable(typeof(SuiteList))]
[JsonSerializable(typeof(SuiteStreamEvent))]
[JsonSerializable(typeof(StopStatus))]
[JsonSerializable(typeof(BugReport))]
[JsonSerializable(typeof(BugReportDownload))]
[JsonSerializable(typeof(BugReportResult))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>The same types written on one line each (a followed drill's events).</summary>
    public static CliJsonContext Compact { get; } = new(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false });
}
