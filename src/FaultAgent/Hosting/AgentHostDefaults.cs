using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace FaultAgent.Hosting;

/// <summary>
/// What the agent keeps of <c>WebApplication.CreateBuilder</c>'s defaults on top of <c>WebApplication.CreateSlimBuilder</c>
/// (#14, BENCHMARKS.md "the agent without what it never calls"). The slim builder keeps the configuration sources and
/// their order (appsettings.json and appsettings.{Environment}.json from the content root, user secrets in Development,
/// environment variables, the command line; <c>ASPNETCORE_</c>/<c>DOTNET_</c> host settings), Kestrel configured from
/// <c>Kestrel</c>, host filtering (<c>AllowedHosts</c>), forwarded headers, the console logger and the Development
/// service-provider checks. It leaves out what the agent never calls: HTTPS endpoint configuration and HTTP/3 (QUIC)
/// — the agent's endpoints are plain HTTP/1.1 and prior-knowledge HTTP/2 (<see cref="AgentEndpoints"/>), and an
/// <c>https://</c> address now fails at start instead of serving —, regex route constraints (no route has one), IIS,
/// static web assets, and the Debug (a managed debugger, which the native agent never has) and Windows EventLog logging
/// providers. Added back here, because they change what an operator sees: the EventSource logging provider
/// (<c>dotnet-trace</c>/<c>dotnet-monitor</c> read the agent's logs through it), the console formatter chosen by
/// <c>Logging:Console:FormatterName</c> (the slim builder forces <c>simple</c>), and the <c>Metrics</c> configuration
/// section's instrument rules.
/// </summary>
public static class AgentHostDefaults
{
    public static IHostApplicationBuilder AddAgentHostDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddEventSourceLogger();

        // As CreateBuilder's AddConsole leaves it: the configured formatter name, or none (the console logger then
        // picks the formatter from the legacy Logging:Console:Format and copies its legacy settings, as before).
        builder.Services.AddOptions<ConsoleLoggerOptions>()
            .Configure<ILoggerProviderConfiguration<ConsoleLoggerProvider>>((options, provider) =>
                options.FormatterName = provider.Configuration[nameof(ConsoleLoggerOptions.FormatterName)]);
        builder.Metrics.AddConfiguration(builder.Configuration.GetSection("Metrics"));
        return builder;
    }
}
