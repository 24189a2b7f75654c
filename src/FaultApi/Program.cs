using FaultApi.Agents;
using FaultApi.Audit;
using FaultApi.Auth;
using FaultApi.BlastRadius;
using FaultApi.BugReports;
using FaultApi.Drills;
using FaultApi.EmergencyStop;
using FaultApi.Faults;
using FaultApi.Hosting;
using FaultInjection.Hosting;
using FaultApi.Metrics;
using FaultApi.Routing;
using FaultApi.Suites;

ProgramFailure.ExitInsteadOfAbort("FaultApi");
var builder = WebApplication.CreateBuilder(ApiApplicationOptions.For(args));
builder.Logging.AddJsonLineConsole();
builder.Services.AddApiHttp();
builder.Services.AddApiAuthentication();
builder.Services.AddAgentRouting();
builder.Services.AddAgents();
builder.Services.AddBlastRadiusGuard();
builder.Services.AddEmergencyStop();
builder.Services.AddFaultInjection();
builder.Services.AddBugReports();
builder.Services.AddAuditTrail();
builder.Services.AddApiMetrics();
builder.Services.AddDrills();
builder.Services.AddSuites();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<ControlPortMiddleware>();
app.UseAuthentication();
app.UseAuthorization();
app.MapApi();
app.MapApiMetrics();
app.Run();

/// <summary>Entry point, visible to the tests' host factory.</summary>
public partial class Program;
