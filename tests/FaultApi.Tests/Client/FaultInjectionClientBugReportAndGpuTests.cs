using System.Security.Cryptography;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Client;
using FaultInjection.Client.BugReports;

namespace FaultApi.Tests.Client;

/// <summary>
/// The .NET client's bug-report and GPU telemetry calls over real Kestrel against REAL agents running the stand-in
/// nvidia-smi / nvidia-bug-report.sh of <see cref="RealGpuCluster"/>.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultInjectionClientBugReportAndGpuTests(RealGpuCluster cluster) : IClassFixture<RealGpuCluster>, IDisposable
{
    private readonly FaultInjectionClient _client = new(cluster.Client.BaseAddress!, ApiApplicationFactory.AliceToken);

    public void Dispose() => _client.Dispose();

    [RootFact]
    public async Task DownloadBugReportAsync_FinishedReport_StreamsTheArchiveWithAMatchingChecksum()
    {
        const string node = RealGpuCluster.H200Node;
        var started = await _client.StartBugReportAsync(node);
        Assert.Equal(node, started.NodeName);
        Assert.Equal("fault-api/alice", started.Caller);
        Assert.Equal($"/api/v1/bug-reports/{node}/{started.Id}/status", started.StatusUrl);

        BugReport report = started;
        await Eventually.TrueAsync(
            async () => (report = await _client.GetBugReportStatusAsync(node, started.Id)).Status != "running",
            $"bug report {started.Id} to end",
            TimeSpan.FromSeconds(90));
        Assert.Equal("succeeded", report.Status);
        Assert.Contains((await _client.ListBugReportsAsync(node)).Reports, r => r.Id == started.Id && r.Status == "succeeded");

        using var archive = new MemoryStream();
        var download = await _client.DownloadBugReportAsync(node, started.Id, archive);

        Assert.Equal(report.SizeBytes, download.Bytes);
        Assert.Equal(archive.Length, download.Bytes);
        Assert.Equal(report.Sha256, download.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(archive.ToArray())), download.Sha256);
        Assert.Equal($"{node}_{started.Id}_nvidia-bug-report.log.gz", download.FileName);
        var unknown = await Assert.ThrowsAsync<FaultInjectionApiException>(() => _client.GetBugReportStatusAsync(node, "0000000000000000"));
        Assert.Equal(404, unknown.Status);
    }

    [RootFact]
    public async Task GetGpuNodeAsync_StandInNvidiaSmi_ReturnsTheNodesGpus()
    {
        var node = await _client.GetGpuNodeAsync(RealGpuCluster.H200Node, refresh: true);
        var summary = await _client.GetGpuSummaryAsync();

        Assert.Equal(RealGpuCluster.H200Node, node.NodeName);
        Assert.Equal(8, node.Gpus.Count);
        Assert.All(node.Gpus, g => Assert.Equal(RealGpuCluster.H200Node, g.NodeName));
        Assert.Equal(Enumerable.Range(0, 8), node.Gpus.Select(g => g.Index).Order());
        Assert.All(node.Gpus, g => Assert.StartsWith("GPU-", g.Uuid, StringComparison.Ordinal));
        Assert.All(node.Gpus, g => Assert.NotNull(g.MemoryTotalMib));
        Assert.True(summary.GpuCount >= 8, $"{summary.GpuCount} GPUs in the summary");
        Assert.Contains(summary.Models, m => m.GpuCount == 8 && m.Model.Contains("H200", StringComparison.Ordinal));

        var processes = await _client.GetGpuProcessesAsync(RealGpuCluster.H200Node, pmon: true);
        Assert.Equal([RealGpuCluster.H200Node], processes.Nodes);
        Assert.Equal(processes.Count, processes.Processes.Count);
        Assert.NotNull(processes.Pmon);
        var nodes = await _client.GetGpuNodesAsync();
        Assert.Contains(nodes.Nodes, n => n.NodeName == RealGpuCluster.H200Node && n.GpuCount == 8);
    }
}
