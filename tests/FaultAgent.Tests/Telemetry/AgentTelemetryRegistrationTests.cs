using FaultAgent.BugReports;
using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using FaultAgent.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Telemetry;

/// <summary>The registrations in a real host: settings bound from configuration, bad settings stop the start.</summary>
public sealed class AgentTelemetryRegistrationTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.SectionName);
        builder.Services.AddGpuTelemetry();
        builder.Services.AddAgentBugReports();
        return builder.Build();
    }

    [Fact]
    public async Task AddAgentTelemetryAndBugReports_Settings_BoundIntoEveryComponent()
    {
        var state = Path.Combine(Path.GetTempPath(), "fault-agent-reg-" + Guid.NewGuid().ToString("N"));
        using var host = Build(new()
        {
            ["Agent:NodeName"] = "gpu-node-001",
            ["Agent:StateDirectory"] = state,
            ["Agent:Tools:NvidiaSmiPath"] = "/run/nvidia/driver/usr/bin/nvidia-smi",
            ["Agent:Tools:MaxOutputBytes"] = "65536",
            ["Agent:Telemetry:CacheDuration"] = "00:00:02",
            ["Agent:BugReports:Timeout"] = "00:10:00",
            ["Agent:BugReports:MaxReports"] = "3",
            ["Agent:BugReports:SafeMode"] = "true",
            ["Agent:BugReports:MaxConcurrentDownloads"] = "2",
        });

        await host.StartAsync();
        try
        {
            var services = host.Services;
            Assert.Equal("/run/nvidia/driver/usr/bin/nvidia-smi", services.GetRequiredService<IOptions<HostToolsOptions>>().Value.NvidiaSmiPath);
            Assert.Equal("/usr/bin/nsenter", services.GetRequiredService<IOptions<HostToolsOptions>>().Value.NsenterPath);
            Assert.Equal(TimeSpan.FromSeconds(2), services.GetRequiredService<IOptions<TelemetryOptions>>().Value.CacheDuration);
            var bugReports = services.GetRequiredService<IOptions<BugReportOptions>>().Value;
            Assert.Equal(TimeSpan.FromMinutes(10), bugReports.Timeout);
            Assert.Equal(3, bugReports.MaxReports);
            Assert.Equal(2, bugReports.MaxConcurrentDownloads);
            Assert.True(bugReports.SafeMode);
            Assert.Null(bugReports.Interval);
            Assert.IsType<NsenterHostCommandRunner>(services.GetRequiredService<IHostCommandRunner>());
            Assert.Single(services.GetServices<IHostCommandRunner>());
            Assert.NotNull(services.GetRequiredService<GpuTelemetryService>());
            Assert.Equal(Path.Combine(state, "bug-reports"), services.GetRequiredService<BugReportCollector>().RootDirectory);
            Assert.Empty(services.GetRequiredService<BugReportCollector>().List().Reports);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Theory]
    [InlineData("Agent:Telemetry:CacheDuration", "-00:00:01", "Agent:Telemetry:CacheDuration")]
    [InlineData("Agent:Telemetry:CommandTimeout", "00:00:00", "Agent:Telemetry:CommandTimeout")]
    [InlineData("Agent:BugReports:Timeout", "00:00:00", "Agent:BugReports:Timeout")]
    [InlineData("Agent:BugReports:MaxReports", "0", "Agent:BugReports:MaxReports")]
    [InlineData("Agent:BugReports:MaxConcurrentDownloads", "0", "Agent:BugReports:MaxConcurrentDownloads")]
    [InlineData("Agent:BugReports:Interval", "00:00:30", "Agent:BugReports:Interval")]
    [InlineData("Agent:BugReports:HostStateDirectory", "relative/path", "Agent:BugReports:HostStateDirectory")]
    [InlineData("Agent:Tools:MaxOutputBytes", "10", "Agent:Tools:MaxOutputBytes")]
    [InlineData("Agent:Tools:NvidiaSmiPath", "", "Agent:Tools:NvidiaSmiPath")]
    [InlineData("Agent:Tools:DriverRoot", "run/nvidia/driver", "Agent:Tools:DriverRoot")]
    public async Task StartAsync_BadSetting_StopsWithMessageNamingIt(string key, string value, string expected)
    {
        using var host = Build(new() { ["Agent:NodeName"] = "gpu-node-001", [key] = value });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
