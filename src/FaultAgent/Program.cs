using FaultAgent.Audit;
using FaultAgent.Auth;
using FaultAgent.BugReports;
using FaultAgent.Dcgm;
using FaultAgent.EmergencyStop;
using FaultAgent.Faults;
using FaultAgent.Gpus;
using FaultAgent.Grpc;
using FaultAgent.Hosting;
using FaultAgent.Http;
using FaultAgent.Injection;
using FaultAgent.Limits;
using FaultAgent.Metrics;
using FaultAgent.Registry;
using FaultAgent.Telemetry;
using FaultAgent.Xids;
using FaultInjection.Hosting;

// No garbage collection until the host has started (StartupNoGcRegion; StartupHeapCompaction ends it and collects).
StartupNoGcRegion.BeginOncePerProcess();
ProgramFailure.ExitInsteadOfAbort("FaultAgent");
var builder = WebApplication.CreateSlimBuilder(AgentApplicationOptions.For(args));
builder.AddAgentHostDefaults();
builder.AddAgentOptions();
builder.AddAgentEndpoints();
builder.Services.AddGpuDiscovery();
builder.Services.AddXidCatalog();
builder.Services.AddKernelLog();
builder.Services.AddFaultRegistry();
builder.Services.AddFaultInjection();
builder.Services.AddInjectionLimits();
builder.Services.AddEmergencyStop();
builder.Services.AddAgentAudit();
builder.Services.AddAgentMetrics();
builder.Services.AddAgentAuthentication();
builder.Services.AddAgentProblemDetails();
builder.Services.AddAgentGrpc();
builder.Services.AddAgentHttp();
builder.Services.AddGpuTelemetry();
builder.Services.AddAgentBugReports();
builder.Services.AddDcgm();
builder.Services.AddStartupHeapCompaction();

var app = builder.Build();
app.LockStateDirectory();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAgentMetricsEndpoint();
app.UseAgentControlEndpoint();
app.UseAgentEndpointProtocols();
app.UseAuthentication();
app.UseAuthorization();
app.MapAgentGrpc();
app.MapAgentHttp();
app.MapAgentMetrics();
app.Run();

/// <summary>Entry point, visible to the tests' host factory.</summary>
public partial class Program;
