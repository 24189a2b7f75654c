using System.Globalization;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace FaultAgent.Tests.BugReports;

/// <summary>
/// A caller holding bug-report downloads open without reading them cannot grow the real agent process without bound: each
/// held download kept a chunk buffer, its copy and the stream's output (~240 KiB) and a file descriptor, so 1,100 held
/// downloads took the native agent from 39 MB to 305 MB resident, past the manifest's 256 Mi limit. The agent serves at most
/// <c>Agent:BugReports:MaxConcurrentDownloads</c> at once; beyond, RESOURCE_EXHAUSTED with RetryInfo, QuotaFailure and
/// ErrorInfo <c>BUG_REPORT_DOWNLOAD_LIMIT</c>, and an ended download frees its place.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class BugReportDownloadLimitTests(HostNamespaceFixture host) : IClassFixture<HostNamespaceFixture>, IDisposable
{
    // Far more than the HTTP/2 stream window (64 KiB) and the agent's chunk: a download that is not read stays open.
    private const long ArchiveBytes = 4 * 1024 * 1024;
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task DownloadBugReport_MoreHeldOpenThanTheLimit_IsResourceExhaustedWithRetryInfo_AndAnEndedDownloadFreesItsPlace()
    {
        await using var agent = await StartAgentAsync(new() { ["Agent:BugReports:MaxConcurrentDownloads"] = "3" });
        using var channel = Channel(agent);
        var client = new AgentClient(channel);
        var report = await BugReportDownloads.FinishedReportAsync(client, ArchiveBytes);

        using var held = await HeldDownloads.OpenAsync(client, report.ReportId, 3);

        var refused = await Assert.ThrowsAsync<RpcException>(() => BugReportDownloads.ReadAllAsync(client, report.ReportId));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var status = refused.GetRpcStatus()!;
        var info = status.GetDetail<ErrorInfo>();
        Assert.Equal("BUG_REPORT_DOWNLOAD_LIMIT", info.Reason);
        Assert.Equal("faultinjection.agent.v1", info.Domain);
        Assert.True(status.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        var quota = Assert.Single(status.GetDetail<QuotaFailure>().Violations);
        Assert.Equal("node:node-dl", quota.Subject);
        Assert.Contains("Agent:BugReports:MaxConcurrentDownloads", quota.Description, StringComparison.Ordinal);
        Assert.Contains("3", refused.Status.Detail, StringComparison.Ordinal);

        // The other report routes answer while the downloads are held.
        Assert.Equal(BugReportState.Succeeded, (await client.GetBugReportAsync(new GetBugReportRequest { ReportId = report.ReportId }, AgentApplicationFactory.Auth())).State);

        // An ended download (the caller went away) frees its place: the next one reads the whole archive.
        held.EndOne();
        var (bytes, sha256) = await ReadAllWhenAPlaceIsFreeAsync(client, report.ReportId);
        Assert.Equal(report.SizeBytes, bytes);
        Assert.Equal(report.Sha256, sha256);
    }

    [RootFact]
    public async Task DownloadBugReport_DefaultLimit_EightHeldOpen_TheNinthIsResourceExhausted()
    {
        await using var agent = await StartAgentAsync([]);
        using var channel = Channel(agent);
        var client = new AgentClient(channel);
        var report = await BugReportDownloads.FinishedReportAsync(client, ArchiveBytes);

        using var held = await HeldDownloads.OpenAsync(client, report.ReportId, 8);

        var refused = await Assert.ThrowsAsync<RpcException>(() => BugReportDownloads.ReadAllAsync(client, report.ReportId));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("BUG_REPORT_DOWNLOAD_LIMIT", refused.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
    }

    private static GrpcChannel Channel(AgentProcess agent) =>
        GrpcChannel.ForAddress(agent.GrpcAddress, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });

    private async Task<AgentProcess> StartAgentAsync(Dictionary<string, string> extra)
    {
        File.WriteAllText(_directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");
        var tool = StandInBugReportTool.Writing(host, ArchiveBytes);
        var settings = new Dictionary<string, string>(extra)
        {
            ["Agent:NodeName"] = "node-dl",
            ["Agent:ProcRoot"] = TestProcRoot.Create(_directory.Path),
            ["Agent:TargetPid"] = host.TargetPid.ToString(CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = _directory.Combine("state"),
            ["Agent:TokenFile"] = _directory.Combine("token"),
            ["Agent:Tools:NvidiaBugReportPath"] = tool.Path,
        };
        return await AgentProcess.StartAsync(settings);
    }

    /// <summary>
    /// Reads the whole archive, trying again while the agent still counts the disposed download (its end reaches the agent
    /// as a stream reset, handled on the agent's side after the client's Dispose returned).
    /// </summary>
    private static async Task<(long Bytes, string Sha256)> ReadAllWhenAPlaceIsFreeAsync(AgentClient client, string reportId)
    {
        (long, string)? result = null;
        var refusals = 0;
        while (result is null)
        {
            try
            {
                result = await BugReportDownloads.ReadAllAsync(client, reportId);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && ++refusals < 500)
            {
                await Task.Delay(20);
            }
        }

        return result.Value;
    }
}
