using FaultAgent.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddGrpc();
builder.Services.AddAgentTelemetry();
builder.Services.AddAgentBugReports();

var app = builder.Build();
app.MapGet("/health", () => Results.Ok(new { status = "healthy" }));
app.Run();

/// <summary>Entry point, visible to the tests' host factory.</summary>
public partial class Program;
