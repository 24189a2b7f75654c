using System.Security.Cryptography;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultAgent.Tests.BugReports;

/// <summary>The download tests' steps over the agent's gRPC API: a finished report, a held download, a full read.</summary>
internal static class BugReportDownloads
{
    /// <summary>Starts a bug report and waits until it succeeded with an archive larger than <paramref name="atLeastBytes"/>.</summary>
    public static async Task<BugReport> FinishedReportAsync(AgentClient client, long atLeastBytes)
    {
        var started = await client.StartBugReportAsync(new StartBugReportRequest(), AgentApplicationFactory.Auth());
        BugReport report = started.Report;
        await Eventually.TrueAsync(
            async () =>
            {
                report = await client.GetBugReportAsync(new GetBugReportRequest { ReportId = started.Report.ReportId }, AgentApplicationFactory.Auth());
                return report.State != BugReportState.Running;
            },
            "the bug report to end",
            TimeSpan.FromSeconds(120));
        Assert.Equal(BugReportState.Succeeded, report.State);
        Assert.True(report.SizeBytes > atLeastBytes);
        return report;
    }

    /// <summary>A download whose first chunk arrived and that is then not read (its stream stays open on the agent).</summary>
    public static async Task<AsyncServerStreamingCall<BugReportChunk>> OpenHeldAsync(AgentClient client, string reportId)
    {
        var call = client.DownloadBugReport(new DownloadBugReportRequest { ReportId = reportId }, AgentApplicationFactory.Auth());
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call;
    }

    /// <summary>Reads a whole download: its length and SHA-256.</summary>
    public static async Task<(long Bytes, string Sha256)> ReadAllAsync(AgentClient client, string reportId)
    {
        using var call = client.DownloadBugReport(new DownloadBugReportRequest { ReportId = reportId }, AgentApplicationFactory.Auth());
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            sha.AppendData(call.ResponseStream.Current.Data.Span);
            bytes += call.ResponseStream.Current.Data.Length;
        }

        return (bytes, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }
}
