using FaultApi.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddApiOptions();
builder.Services.AddApiHttp();
builder.Services.AddApiAuthentication();
builder.Services.AddAgentRouting();
builder.Services.AddApiBugReports();
builder.Services.AddEmergencyStop();
builder.Services.AddAuditLog();
builder.Services.AddApiMetrics();
builder.Services.AddDrills();
builder.Services.AddSuites();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.MapApi();
app.MapApiMetrics();
app.Run();

/// <summary>Entry point, visible to the tests' host factory.</summary>
public partial class Program;
