using System.Text.Json;
using System.Text.Json.Serialization;
using FaultInjection.Client.Audit;
using FaultInjection.Client.BugReports;
using FaultInjection.Client.Dcgm;
using FaultInjection.Client.Drills;
using FaultInjection.Client.EmergencyStop;
using FaultInjection.Client.Faults;
using FaultInjection.Client.Gpu;
using FaultInjection.Client.Health;
using FaultInjection.Client.Nodes;
using FaultInjection.Client.Suites;
using FaultInjection.Client.Xids;

namespace FaultInjection.Client.Serialization;

/// <summary>Source-generated (reflection-free) JSON for the API's snake_case bodies.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(InjectXidBody))]
[JsonSerializable(typeof(InjectSxidBody))]
[JsonSerializable(typeof(InjectDcgmFieldBody))]
[JsonSerializable(typeof(DcgmFieldCatalog))]
[JsonSerializable(typeof(Fault))]
[JsonSerializable(typeof(FaultList))]
[JsonSerializable(typeof(MultiInjection))]
[JsonSerializable(typeof(NodeList))]
[JsonSerializable(typeof(XidCatalog))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(Drill))]
[JsonSerializable(typeof(DrillList))]
[JsonSerializable(typeof(DrillRequest))]
[JsonSerializable(typeof(DrillStep))]
[JsonSerializable(typeof(DrillVerdict))]
[JsonSerializable(typeof(StopBody))]
[JsonSerializable(typeof(StopStatus))]
[JsonSerializable(typeof(AuditList))]
[JsonSerializable(typeof(StartBugReportBody))]
[JsonSerializable(typeof(BugReport))]
[JsonSerializable(typeof(BugReportList))]
[JsonSerializable(typeof(GpuNodeList))]
[JsonSerializable(typeof(GpuNode))]
[JsonSerializable(typeof(GpuSummary))]
[JsonSerializable(typeof(GpuProcessList))]
[JsonSerializable(typeof(SuiteRequest))]
[JsonSerializable(typeof(Suite))]
[JsonSerializable(typeof(SuiteList))]
[JsonSerializable(typeof(SuiteEvent))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
