using FaultAgent.Dcgm;
using FaultAgent.Hosting;
using FaultAgent.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddAgentOptions();
builder.Services.AddAgentCore();
builder.Services.AddFaultRegistry();
builder.Services.AddEmergencyStop();
builder.Services.AddAgentMetrics();
builder.Services.AddAgentAuthentication();
builder.Services.AddAgentGrpc();
builder.Services.AddAgentHttp();
builder.Services.AddAgentTelemetry();
builder.Services.AddAgentBugReports();
builder.Services.AddDcgm();

var app = builder.Build();
app.LockStateDirectory();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAgentMetricsEndpoint();
app.UseAuthentication();
app.UseAuthorization();
app.MapAgentGrpc();
app.MapAgentHttp();
app.MapAgentMetrics();
app.Run();

/// <summary>Entry point, visible to the tests' host factory.</summary>
public partial class Program;
