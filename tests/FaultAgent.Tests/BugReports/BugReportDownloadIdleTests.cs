using BugReportCollector = FaultAgent.BugReports.BugReportCollector;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Eventually = FaultAgent.Tests.Infrastructure.Eventually;

namespace FaultAgent.Tests.BugReports;

/// <summary>
/// A download whose caller takes a chunk and then stops reading (HTTP/2 flow control holds the agent's next write) keeps
/// its place among the node's <c>Agent:BugReports:MaxConcurrentDownloads</c> only for <c>Agent:BugReports:DownloadIdleTimeout</c>:
/// then the agent ends it, frees its place and file, and a caller that reads again is told why (ABORTED, ErrorInfo
/// <c>BUG_REPORT_DOWNLOAD_IDLE</c>). The real agent app on real Kestrel; the bug reports' clock is a <see cref="FakeTimeProvider"/>,
/// so time moves only when a test moves it.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class BugReportDownloadIdleTests(HostNamespaceFixture host) : IClassFixture<HostNamespaceFixture>
{
    // Far more than the HTTP/2 stream window and the agent's chunk: a download that is not read stays open.
    private const long ArchiveBytes = 4 * 1024 * 1024;
    private static readonly TimeSpan PastDefaultIdleTimeout = TimeSpan.FromSeconds(31);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));

    [RootFact]
    public async Task DownloadBugReport_EightHeldUnreadPastTheIdleTimeout_TheNinthIsServed()
    {
        await using var agent = Agent([]);
        using var channel = Channel(agent);
        var client = new AgentClient(channel);
        var report = await BugReportDownloads.FinishedReportAsync(client, ArchiveBytes);
        using var held = await HeldDownloads.OpenAsync(client, report.ReportId, 8);

        // Held: the ninth is refused while no time passes.
        var refused = await Assert.ThrowsAsync<RpcException>(() => BugReportDownloads.ReadAllAsync(client, report.ReportId));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);

        // Past the idle timeout (moved again until every held write is waiting on its reader): the places come back.
        var served = await ReadAllAfterMovingTimeAsync(client, report.ReportId);

        Assert.Equal(report.SizeBytes, served.Bytes);
        Assert.Equal(report.Sha256, served.Sha256);
    }

    [RootFact]
    public async Task DownloadBugReport_HeldPastTheIdleTimeoutThenReadAgain_EndsAbortedNamingTheSetting()
    {
        await using var agent = Agent(new() { ["Agent:BugReports:MaxConcurrentDownloads"] = "1" });
        using var channel = Channel(agent);
        var client = new AgentClient(channel);
        var report = await BugReportDownloads.FinishedReportAsync(client, ArchiveBytes);
        using var held = await BugReportDownloads.OpenHeldAsync(client, report.ReportId);

        await ReadAllAfterMovingTimeAsync(client, report.ReportId);

        // The held caller reads again within the grace (no more time moves): what was already sent, then the status.
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await held.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
        Assert.Equal(StatusCode.Aborted, ended.StatusCode);
        Assert.Contains("Agent:BugReports:DownloadIdleTimeout", ended.Status.Detail, StringComparison.Ordinal);
        var info = ended.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("BUG_REPORT_DOWNLOAD_IDLE", info.Reason);
        Assert.Equal(report.ReportId, info.Metadata["report_id"]);
        Assert.Equal("30", info.Metadata["idle_timeout_seconds"]);
    }

    [RootFact]
    public async Task Start_DownloadIdleTimeoutOutOfRange_FailsNamingTheSetting()
    {
        await using var agent = Agent(new() { ["Agent:BugReports:DownloadIdleTimeout"] = "00:00:00" });

        var failure = Assert.ThrowsAny<Exception>(() => agent.CreateGrpcClient());

        Assert.Contains("Agent:BugReports:DownloadIdleTimeout must be between 00:00:01 and 01:00:00", failure.ToString(), StringComparison.Ordinal);
    }

    private AgentApplicationFactory Agent(Dictionary<string, string?> extra)
    {
        var tool = StandInBugReportTool.Writing(host, ArchiveBytes);
        var settings = new Dictionary<string, string?>(extra) { ["Agent:Tools:NvidiaBugReportPath"] = tool.Path };
        // Only the bug reports' clock is fake (Kestrel takes the app's TimeProvider too, and must keep real time).
        return new AgentApplicationFactory(host.TargetPid, settings, services => services.AddSingleton(sp => ActivatorUtilities.CreateInstance<BugReportCollector>(sp, (TimeProvider)_time)));
    }

    /// <summary>A channel of the test's own that opens more connections past 100 streams (the factory's started first: it binds the ports).</summary>
    private static GrpcChannel Channel(AgentApplicationFactory agent)
    {
        agent.CreateGrpcClient();
        return GrpcChannel.ForAddress(agent.GrpcAddress, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
    }

    /// <summary>
    /// Moves the agent's clock past the default idle timeout, then tries to download for a while (ending the held download
    /// runs on the agent's side after the clock moved); while refused (a held write had not yet started waiting on its
    /// reader when the clock moved), moves it again. Without an idle timeout every try is refused.
    /// </summary>
    private async Task<(long Bytes, string Sha256)> ReadAllAfterMovingTimeAsync(AgentClient client, string reportId)
    {
        RpcException? last = null;
        for (var move = 0; move < 5; move++)
        {
            _time.Advance(PastDefaultIdleTimeout);
            for (var attempt = 0; attempt < 200; attempt++)
            {
                try
                {
                    return await BugReportDownloads.ReadAllAsync(client, reportId);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    last = e;
                    await Task.Delay(50);
                }
            }
        }

        Assert.Fail($"Still refused after moving the agent's clock 5 x {PastDefaultIdleTimeout}: {last?.Status.Detail}");
        return default;
    }
}
