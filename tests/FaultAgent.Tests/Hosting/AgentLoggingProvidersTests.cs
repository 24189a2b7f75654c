using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Logging.EventSource;

namespace FaultAgent.Tests.Hosting;

/// <summary>
/// The agent's logging providers: the console, and the EventSource provider <c>dotnet-trace</c> and <c>dotnet-monitor</c>
/// read logs through (<c>WebApplication.CreateSlimBuilder</c>, which the agent is built on, leaves it out;
/// Hosting/AgentHostDefaults.cs adds it back).
/// </summary>
public sealed class AgentLoggingProvidersTests
{
    [RootFact]
    public void Start_LoggerProviders_IncludeConsoleAndEventSource()
    {
        using var factory = new AgentApplicationFactory(Environment.ProcessId);

        var providers = factory.Services.GetServices<ILoggerProvider>().ToList();

        Assert.Contains(providers, provider => provider is ConsoleLoggerProvider);
        Assert.Contains(providers, provider => provider is EventSourceLoggerProvider);
    }
}
