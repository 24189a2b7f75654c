using System.Security.Cryptography;
using FaultAgent.Tests.BugReports;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;
using FaultAgent.Tests.Telemetry;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
using Eventually = FaultAgent.Tests.Infrastructure.Eventually;

namespace FaultAgent.Tests.Grpc;

/// <summary>
/// The telemetry and bug-report RPCs over real Kestrel with the generated client: the real agent app runs its host tools
/// through nsenter in a stand-in host's mount namespace (<see cref="HostNamespaceFixture"/>), where a stand-in nvidia-smi
/// and nvidia-bug-report.sh exist (and nowhere else).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class TelemetryAndBugReportGrpcTests : IClassFixture<HostNamespaceFixture>
{
    private const string H200 = "nvidia-smi_query-gpu_compute-apps_pmon_h200x8_real.txt";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly HostNamespaceFixture _host;

    public TelemetryAndBugReportGrpcTests(HostNamespaceFixture host)
    {
        _host = host;
    }

    private AgentApplicationFactory Agent(string nvidiaSmi = "/nonexistent/nvidia-smi", string bugReportTool = "/nonexistent/nvidia-bug-report.sh") =>
        new(_host.TargetPid, new Dictionary<string, string?>
        {
            ["Agent:Tools:NvidiaSmiPath"] = nvidiaSmi,
            ["Agent:Tools:NvidiaBugReportPath"] = bugReportTool,
        });

    private static async Task<BugReport> WaitEndedAsync(AgentClient client, string id)
    {
        BugReport report = null!;
        await Eventually.TrueAsync(
            async () =>
            {
                report = await client.GetBugReportAsync(new GetBugReportRequest { ReportId = id }, AgentApplicationFactory.Auth());
                return report.State != BugReportState.Running;
            },
            $"bug report {id} to end",
            Generous);
        return report;
    }

    private static BadRequest.Types.FieldViolation SingleViolation(RpcException ex) =>
        Assert.Single(ex.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations);

    [RootFact]
    public async Task GetGpuTelemetry_StandInNvidiaSmi_EveryGpuCachedUntilRefresh()
    {
        var smi = new StandInNvidiaSmi(_host, StandInNvidiaSmi.H200Table());
        await using var agent = Agent(nvidiaSmi: smi.Path);
        var client = agent.CreateGrpcClient();

        var first = await client.GetGpuTelemetryAsync(new GetGpuTelemetryRequest(), AgentApplicationFactory.Auth());
        var cached = await client.GetGpuTelemetryAsync(new GetGpuTelemetryRequest(), AgentApplicationFactory.Auth());
        var refreshed = await client.GetGpuTelemetryAsync(new GetGpuTelemetryRequest { Refresh = true }, AgentApplicationFactory.Auth());

        Assert.Equal("node-a", first.NodeName);
        Assert.Equal("550.127.05", first.DriverVersion);
        Assert.Equal(8, first.Gpus.Count);
        Assert.False(first.Cached);
        Assert.True(cached.Cached);
        Assert.False(refreshed.Cached);
        // The telemetry queries only: the board-serial query (pci.bus_id,serial,pci.device_id) runs once at start, for the preambles.
        Assert.Equal(2, smi.Calls.Count(c => c.StartsWith("--query-gpu=", StringComparison.Ordinal) && !c.StartsWith("--query-gpu=pci.bus_id,serial,pci.device_id ", StringComparison.Ordinal)));
        var gpu7 = first.Gpus[7];
        Assert.False(gpu7.HasPowerDrawW); // [N/A] stays unset, never 0
        Assert.True(first.Gpus[3].RemappedRowsPending);
        Assert.Equal(2, first.Gpus[3].EccErrorsUncorrectedVolatile);
    }

    [RootFact]
    public async Task ListGpuProcesses_WithPmon_ProcessesPerGpuAndSamples()
    {
        var apps = NvidiaSmiSamples.WithoutHeaderAndUnits(NvidiaSmiSamples.Block(H200, "gpu_uuid, pid", after: "## After"));
        var pmon = NvidiaSmiSamples.Block(H200, "# gpu");
        var smi = new StandInNvidiaSmi(_host, StandInNvidiaSmi.H200Table(), apps, pmon);
        await using var agent = Agent(nvidiaSmi: smi.Path);
        var client = agent.CreateGrpcClient();

        var withPmon = await client.ListGpuProcessesAsync(new ListGpuProcessesRequest { IncludePmon = true }, AgentApplicationFactory.Auth());
        var withoutPmon = await client.ListGpuProcessesAsync(new ListGpuProcessesRequest(), AgentApplicationFactory.Auth());

        Assert.Equal("node-a", withPmon.NodeName);
        Assert.Equal([0, 1, 3, 7], withPmon.Processes.Select(p => p.GpuIndex));
        Assert.Equal(1758887, withPmon.Processes[3].Pid);
        Assert.Equal("/usr/local/bin/python3.10", withPmon.Processes[0].ProcessName);
        Assert.Equal([2, 4, 5, 6], withPmon.Pmon.Select(s => s.GpuIndex));
        Assert.Empty(withoutPmon.Pmon);
        Assert.Equal(4, withoutPmon.Processes.Count);
    }

    [RootFact]
    public async Task GetGpuTelemetry_NoNvidiaSmiOnHost_FailedPrecondition()
    {
        await using var agent = Agent();
        var client = agent.CreateGrpcClient();

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.GetGpuTelemetryAsync(new GetGpuTelemetryRequest(), AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("/nonexistent/nvidia-smi", ex.Status.Detail, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task StartBugReport_WhileOneRuns_ReturnsTheRunningOne_RecordsCaller_RefusesDownloadUntilDone()
    {
        var tool = StandInBugReportTool.Gated(_host);
        await using var agent = Agent(bugReportTool: tool.Path);
        var client = agent.CreateGrpcClient();

        var first = await client.StartBugReportAsync(new StartBugReportRequest(), AgentApplicationFactory.Auth(onBehalfOf: "alice"));
        var second = await client.StartBugReportAsync(new StartBugReportRequest { Trigger = "injection:drill-1" }, AgentApplicationFactory.Auth(onBehalfOf: "bob"));
        var id = first.Report.ReportId;
        await Eventually.TrueAsync(
            async () => (await client.GetBugReportAsync(new GetBugReportRequest { ReportId = id }, AgentApplicationFactory.Auth())).BytesWritten > 0,
            "progress of the running report",
            Generous);
        var early = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = client.DownloadBugReport(new DownloadBugReportRequest { ReportId = id }, AgentApplicationFactory.Auth());
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });
        tool.Release();
        var done = await WaitEndedAsync(client, id);
        var listed = await client.ListBugReportsAsync(new ListBugReportsRequest(), AgentApplicationFactory.Auth());

        Assert.False(first.AlreadyRunning);
        Assert.Equal(BugReportState.Running, first.Report.State);
        Assert.Equal($"{AgentApplicationFactory.ApiTokenName}/alice", first.Report.Caller);
        Assert.Equal("api", first.Report.Trigger);
        Assert.True(second.AlreadyRunning);
        Assert.Equal(id, second.Report.ReportId);
        Assert.Equal(StatusCode.FailedPrecondition, early.StatusCode);
        Assert.Equal(BugReportState.Succeeded, done.State);
        Assert.Equal(id, Assert.Single(listed.Reports).ReportId);
        Assert.Equal("node-a", listed.NodeName);
        Assert.Single(tool.Calls);
    }

    [RootFact]
    public async Task DownloadBugReport_MultiMebibyteArchive_StreamedInChunks_BytesAndSha256Match()
    {
        var tool = StandInBugReportTool.Writing(_host, 3 * 1024 * 1024);
        await using var agent = Agent(bugReportTool: tool.Path);
        var client = agent.CreateGrpcClient();
        var started = await client.StartBugReportAsync(new StartBugReportRequest(), AgentApplicationFactory.Auth());
        var report = await WaitEndedAsync(client, started.Report.ReportId);

        using var call = client.DownloadBugReport(new DownloadBugReportRequest { ReportId = report.ReportId }, AgentApplicationFactory.Auth());
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunks = new List<BugReportChunk>();
        long total = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            var chunk = call.ResponseStream.Current;
            Assert.Equal(total, chunk.Offset);
            sha.AppendData(chunk.Data.Span);
            total += chunk.Data.Length;
            chunks.Add(chunk.Clone());
            chunks[^1].Data = Google.Protobuf.ByteString.Empty;
        }

        var file = Path.Combine(agent.TestDirectory.Combine("state"), "bug-reports", report.ReportId, report.FileName);
        await using var stream = File.OpenRead(file);
        Assert.Equal(BugReportState.Succeeded, report.State);
        Assert.True(report.SizeBytes > 3 * 1024 * 1024);
        Assert.Equal(report.SizeBytes, total);
        Assert.Equal(new FileInfo(file).Length, total);
        Assert.Equal(report.Sha256, Convert.ToHexStringLower(sha.GetHashAndReset()));
        Assert.Equal(report.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
        Assert.True(chunks.Count > 40, $"{chunks.Count} chunks");
        Assert.Equal(report.SizeBytes, chunks[0].TotalSize);
        Assert.Equal(report.Sha256, chunks[0].Sha256);
        Assert.Equal("nvidia-bug-report.log.gz", chunks[0].FileName);
        Assert.All(chunks.Skip(1), c => Assert.Equal("", c.Sha256));
    }

    [RootFact]
    public async Task BugReportRpcs_BadOrUnknownId_InvalidArgumentWithFieldOrNotFound_AndUnauthenticatedRefused()
    {
        await using var agent = Agent();
        var client = agent.CreateGrpcClient();

        var bad = await Assert.ThrowsAsync<RpcException>(() => client.GetBugReportAsync(new GetBugReportRequest { ReportId = "../etc" }, AgentApplicationFactory.Auth()).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.GetBugReportAsync(new GetBugReportRequest { ReportId = "20260101T000000Z-00000000" }, AgentApplicationFactory.Auth()).ResponseAsync);
        var badTrigger = await Assert.ThrowsAsync<RpcException>(() => client.StartBugReportAsync(new StartBugReportRequest { Trigger = "cron" }, AgentApplicationFactory.Auth()).ResponseAsync);
        var unknownDownload = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = client.DownloadBugReport(new DownloadBugReportRequest { ReportId = "missing" }, AgentApplicationFactory.Auth());
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });
        var badDownload = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = client.DownloadBugReport(new DownloadBugReportRequest(), AgentApplicationFactory.Auth());
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => client.ListBugReportsAsync(new ListBugReportsRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Equal("report_id", SingleViolation(bad).Field);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("report_id", unknown.GetRpcStatus()!.GetDetail<ErrorInfo>().Metadata["field"]);
        Assert.Equal(StatusCode.InvalidArgument, badTrigger.StatusCode);
        Assert.Equal("trigger", SingleViolation(badTrigger).Field);
        Assert.Equal(StatusCode.NotFound, unknownDownload.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badDownload.StatusCode);
        Assert.Equal("report_id", SingleViolation(badDownload).Field);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Empty((await client.ListBugReportsAsync(new ListBugReportsRequest(), AgentApplicationFactory.Auth())).Reports);
    }
}
