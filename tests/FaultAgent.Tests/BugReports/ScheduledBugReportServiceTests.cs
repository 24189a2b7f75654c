using FaultAgent.BugReports;
using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using FaultAgent.Tests.HostProcesses;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaultAgent.Tests.BugReports;

[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class ScheduledBugReportServiceTests : IClassFixture<HostNamespaceFixture>
{
    private readonly HostNamespaceFixture _host;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));

    public ScheduledBugReportServiceTests(HostNamespaceFixture host)
    {
        _host = host;
    }

    private (BugReportCollector Collector, ScheduledBugReportService Service) Create(string toolPath, BugReportOptions options)
    {
        var state = Path.Combine(_host.RootDirectory, "sched-" + Guid.NewGuid().ToString("N")[..12]);
        var collector = new BugReportCollector(
            NsenterHostCommandRunnerTests.CreateRunner(_host.TargetPid),
            Options.Create(new AgentOptions { NodeName = "gpu-node-001", TargetPid = _host.TargetPid, StateDirectory = state }),
            Options.Create(new HostToolsOptions { NvidiaBugReportPath = toolPath }),
            Options.Create(options),
            _time,
            NullLogger<BugReportCollector>.Instance);
        return (collector, new ScheduledBugReportService(collector, Options.Create(options), _time, NullLogger<ScheduledBugReportService>.Instance));
    }

    [RootFact]
    public async Task ExecuteAsync_IntervalElapses_StartsScheduleReportOnceWhileItRuns()
    {
        var tool = StandInBugReportTool.Gated(_host);
        var (collector, service) = Create(tool.Path, new BugReportOptions { Interval = TimeSpan.FromHours(1) });
        using (collector)
        using (service)
        {
            await service.StartAsync(CancellationToken.None);
            Assert.Empty(collector.List().Reports);

            // The timer is created on the service's own task: tick until the first report shows up.
            await Eventually.TrueAsync(
                () =>
                {
                    _time.Advance(TimeSpan.FromHours(1));
                    return collector.List().Reports.Count > 0;
                },
                "a scheduled report");
            _time.Advance(TimeSpan.FromHours(1)); // a tick while it still runs returns the running one

            var report = Assert.Single(collector.List().Reports);
            Assert.Equal("schedule", report.Trigger);
            Assert.Equal(ScheduledBugReportService.Caller, report.Caller);
            tool.Release();
            Assert.Equal(BugReportStatus.Succeeded, (await collector.WaitForCompletionAsync(report.ReportId, CancellationToken.None)).Status);
            await service.StopAsync(CancellationToken.None);
        }
    }

    [RootFact]
    public async Task ExecuteAsync_IntervalUnset_DoesNothing()
    {
        var tool = StandInBugReportTool.Writing(_host, 10);
        var (collector, service) = Create(tool.Path, new BugReportOptions());
        using (collector)
        using (service)
        {
            await service.StartAsync(CancellationToken.None);
            await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
            _time.Advance(TimeSpan.FromDays(1));

            Assert.True(service.ExecuteTask.IsCompletedSuccessfully);
            Assert.Empty(collector.List().Reports);
            Assert.Empty(tool.Calls);
        }
    }
}
