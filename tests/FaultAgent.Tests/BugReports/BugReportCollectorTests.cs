using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using FaultAgent.BugReports;
using FaultAgent.Faults;
using FaultAgent.Grpc;
using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using FaultAgent.Tests.HostProcesses;
using Grpc.Core;
using BugReportChunk = FaultInjection.Agent.V1.BugReportChunk;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaultAgent.Tests.BugReports;

/// <summary>
/// The collector through the real runner against a stand-in nvidia-bug-report.sh in the stand-in host. The agent's state
/// directory is bind-mounted, in the host's mount namespace only, at a different path (Agent:BugReports:HostStateDirectory),
/// as a hostPath volume would be.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class BugReportCollectorTests : IClassFixture<HostNamespaceFixture>
{
    private readonly HostNamespaceFixture _host;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
    private readonly string _stateDirectory;
    private readonly string _hostStateDirectory;

    public BugReportCollectorTests(HostNamespaceFixture host)
    {
        _host = host;
        _stateDirectory = Path.Combine(host.RootDirectory, "state-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_stateDirectory);
        _hostStateDirectory = host.NewHostDirectory("host-state");
        host.RunInHost("mount", "--bind", _stateDirectory, _hostStateDirectory);
    }

    private BugReportCollector Create(string toolPath, BugReportOptions? options = null) =>
        new(
            new CountingHostCommandRunner(NsenterHostCommandRunnerTests.CreateRunner(_host.TargetPid)),
            Options.Create(new AgentOptions { NodeName = "gpu-node-001", TargetPid = _host.TargetPid, StateDirectory = _stateDirectory }),
            Options.Create(new HostToolsOptions { NvidiaBugReportPath = toolPath }),
            Options.Create(options ?? new BugReportOptions { HostStateDirectory = _hostStateDirectory }),
            _time,
            NullLogger<BugReportCollector>.Instance);

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [RootFact]
    public async Task StartAsync_ToolSucceeds_ArchiveWrittenOnHostPathRecordedWithSizeAndSha256()
    {
        var tool = StandInBugReportTool.Writing(_host, 200_000);
        using var collector = Create(tool.Path);

        var started = await collector.StartAsync("", "alice", CancellationToken.None);
        var report = await collector.WaitForCompletionAsync(started.Report.ReportId, CancellationToken.None);

        Assert.False(started.AlreadyRunning);
        Assert.Equal(BugReportStatus.Running, started.Report.Status);
        Assert.Equal(BugReportStatus.Succeeded, report.Status);
        Assert.Equal(0, report.ExitCode);
        Assert.Equal("api", report.Trigger);
        Assert.Equal("alice", report.Caller);
        Assert.Equal("gpu-node-001", report.NodeName);
        Assert.Equal("nvidia-bug-report.log.gz", report.FileName);
        Assert.Equal("", report.Error);
        var id = report.ReportId;
        var archive = Path.Combine(_stateDirectory, "bug-reports", id, "nvidia-bug-report.log.gz");
        Assert.Equal(new FileInfo(archive).Length, report.SizeBytes);
        Assert.Equal(report.SizeBytes, report.BytesWritten);
        Assert.True(report.SizeBytes > 200_000);
        Assert.Equal(Sha256Of(archive), report.Sha256);

        // The tool was told the host's path, ran there (cwd) in the host's mount namespace.
        var hostReportDir = $"{_hostStateDirectory}/bug-reports/{id}";
        Assert.Equal($"--output-file {hostReportDir}/nvidia-bug-report.log", Assert.Single(tool.Calls));
        var text = ReadGzipText(archive);
        Assert.Contains("cwd: " + hostReportDir + "\n", text, StringComparison.Ordinal);
        Assert.Contains("mnt: " + HostNamespaceFixture.MountNamespaceOf(_host.TargetPid.ToString(System.Globalization.CultureInfo.InvariantCulture)), text, StringComparison.Ordinal);
        Assert.EndsWith("End of NVIDIA bug report log file.\n", text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_stateDirectory, "bug-reports", id, "metadata.json")));
        Assert.Contains("nvidia-bug-report.sh will now collect", File.ReadAllText(Path.Combine(_stateDirectory, "bug-reports", id, "console.txt")), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task StartAsync_SafeModeAndExtraData_PassedAsFlags()
    {
        var tool = StandInBugReportTool.Writing(_host, 10);
        using var collector = Create(tool.Path, new BugReportOptions { HostStateDirectory = _hostStateDirectory, SafeMode = true, ExtraSystemData = true });

        var started = await collector.StartAsync("schedule", "fault-agent", CancellationToken.None);
        var report = await collector.WaitForCompletionAsync(started.Report.ReportId, CancellationToken.None);

        Assert.Equal(BugReportStatus.Succeeded, report.Status);
        Assert.EndsWith("nvidia-bug-report.log --safe-mode --extra-system-data", Assert.Single(tool.Calls), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task StartAsync_WhileOneRuns_ReturnsTheRunningOneWithProgress()
    {
        var tool = StandInBugReportTool.Gated(_host);
        using var collector = Create(tool.Path);

        var first = await collector.StartAsync("api", "alice", CancellationToken.None);
        var id = first.Report.ReportId;
        await Eventually.TrueAsync(() => collector.Get(id).BytesWritten > 0, "the tool to write");
        _time.Advance(TimeSpan.FromSeconds(7));
        var second = await collector.StartAsync("injection:fault-42", "bob", CancellationToken.None);
        var running = collector.Get(id);

        Assert.True(second.AlreadyRunning);
        Assert.Equal(id, second.Report.ReportId);
        Assert.Equal("api", second.Report.Trigger);
        Assert.Equal(BugReportStatus.Running, running.Status);
        Assert.Equal(7, running.ElapsedSeconds);
        Assert.True(running.BytesWritten > 0);
        Assert.Single(collector.List().Reports);
        Assert.Throws<BugReportNotReadyException>(() => collector.OpenRead(id));

        tool.Release();
        var done = await collector.WaitForCompletionAsync(id, CancellationToken.None);
        Assert.Equal(BugReportStatus.Succeeded, done.Status);
        Assert.Equal(7, done.ElapsedSeconds);
        Assert.Single(tool.Calls);
    }

    [RootFact]
    public async Task StartAsync_ToolHangs_TimedOutTreeKilledPartialArchiveKept()
    {
        var marker = "86400." + Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tool = StandInBugReportTool.Hanging(_host, marker);
        using var collector = Create(tool.Path, new BugReportOptions { HostStateDirectory = _hostStateDirectory, Timeout = TimeSpan.FromSeconds(3) });

        var started = await collector.StartAsync("api", "alice", CancellationToken.None);
        var report = await collector.WaitForCompletionAsync(started.Report.ReportId, CancellationToken.None);

        Assert.Equal(BugReportStatus.TimedOut, report.Status);
        Assert.Null(report.ExitCode);
        Assert.Contains("did not finish within 3 s", report.Error, StringComparison.Ordinal);
        Assert.True(tool.Started, "the tool should have started its child before hanging");
        await Eventually.TrueAsync(() => ProcessTable.FindByMarker(marker).Count == 0, "the hung tool and its child to die");
        Assert.Equal("nvidia-bug-report.log.gz", report.FileName);
        Assert.True(report.SizeBytes > 30_000);
        using var download = collector.OpenRead(report.ReportId);
        Assert.Equal(report.SizeBytes, download.TotalSize);
    }

    [RootFact]
    public async Task StartAsync_ToolExitsNonZero_FailedWithItsMessageAndNothingToDownload()
    {
        var tool = StandInBugReportTool.NotRoot(_host);
        using var collector = Create(tool.Path);

        var started = await collector.StartAsync("api", "alice", CancellationToken.None);
        var report = await collector.WaitForCompletionAsync(started.Report.ReportId, CancellationToken.None);

        Assert.Equal(BugReportStatus.Failed, report.Status);
        Assert.Equal(1, report.ExitCode);
        Assert.Equal("exit code 1: ERROR: Please run nvidia-bug-report.sh as root.", report.Error);
        Assert.Equal("", report.FileName);
        var ex = Assert.Throws<BugReportNotReadyException>(() => collector.OpenRead(report.ReportId));
        Assert.Equal(StatusCode.FailedPrecondition, FaultAgent.Grpc.FaultErrorInterceptor.ToRpcException(ex)!.StatusCode);
    }

    [RootFact]
    public async Task StartAsync_ToolMissingOnHost_FailedWithReason()
    {
        using var collector = Create(Path.Combine(_host.ToolsDirectory, "absent", "nvidia-bug-report.sh"));

        var started = await collector.StartAsync("api", "alice", CancellationToken.None);
        var report = await collector.WaitForCompletionAsync(started.Report.ReportId, CancellationToken.None);

        Assert.Equal(BugReportStatus.Failed, report.Status);
        Assert.Contains("cannot be executed on the host", report.Error, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task List_PageSizeTwo_NewestFirstAcrossPages()
    {
        var tool = StandInBugReportTool.Writing(_host, 100);
        using var collector = Create(tool.Path);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var started = await collector.StartAsync("api", "alice", CancellationToken.None);
            await collector.WaitForCompletionAsync(started.Report.ReportId, CancellationToken.None);
            ids.Add(started.Report.ReportId);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var first = collector.List(new FaultAgent.Paging.PageRequest(2, null));
        var second = collector.List(new FaultAgent.Paging.PageRequest(2, first.NextPageToken));

        Assert.Equal([ids[2], ids[1]], first.Reports.Select(r => r.ReportId));
        Assert.Equal([ids[0]], second.Reports.Select(r => r.ReportId));
        Assert.Equal(3, second.TotalSize);
        Assert.Equal("", second.NextPageToken);
        Assert.Throws<FaultAgent.Faults.InvalidRequestException>(() => collector.List(new FaultAgent.Paging.PageRequest(2, "bogus")));
    }

    [RootFact]
    public async Task StartAsync_MoreThanMaxReports_OldestFinishedDeleted()
    {
        var tool = StandInBugReportTool.Writing(_host, 100);
        using var collector = Create(tool.Path, new BugReportOptions { HostStateDirectory = _hostStateDirectory, MaxReports = 2 });
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var started = await collector.StartAsync("api", "alice", CancellationToken.None);
            await collector.WaitForCompletionAsync(started.Report.ReportId, CancellationToken.None);
            ids.Add(started.Report.ReportId);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal([ids[2], ids[1]], collector.List().Reports.Select(r => r.ReportId));
        Assert.False(Directory.Exists(Path.Combine(_stateDirectory, "bug-reports", ids[0])));
        Assert.Throws<BugReportNotFoundException>(() => collector.Get(ids[0]));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(_stateDirectory, "bug-reports")).Length);
    }

    [RootFact]
    public async Task Constructor_ReportLeftRunningByEarlierAgent_MarkedFailedAgentRestarted()
    {
        var tool = StandInBugReportTool.Writing(_host, 1000);
        string finishedId;
        using (var earlier = Create(tool.Path))
        {
            var started = await earlier.StartAsync("api", "alice", CancellationToken.None);
            finishedId = (await earlier.WaitForCompletionAsync(started.Report.ReportId, CancellationToken.None)).ReportId;
        }

        // What a killed agent leaves behind: metadata still RUNNING and a partial archive.
        var store = new BugReportStore(Path.Combine(_stateDirectory, "bug-reports"));
        var orphan = new BugReportRecord { Id = "20261123T075500Z-0badf00d", Status = BugReportStatus.Running, Trigger = "injection:f-1", Caller = "bob", StartedAt = _time.GetUtcNow().AddMinutes(-5) };
        store.Save(orphan);
        await File.WriteAllBytesAsync(Path.Combine(store.ReportDirectory(orphan.Id), "nvidia-bug-report.log.gz"), [0x1f, 0x8b, 8, 0]);

        using var restarted = Create(tool.Path);
        var recovered = restarted.Get(orphan.Id);

        Assert.Equal(BugReportStatus.Failed, recovered.Status);
        Assert.Equal(BugReportCollector.RestartedError, recovered.Error);
        Assert.Equal("injection:f-1", recovered.Trigger);
        Assert.Equal(4, recovered.SizeBytes);
        Assert.Equal(BugReportStatus.Succeeded, restarted.Get(finishedId).Status);
        var onDisk = store.LoadAll().Records.Single(r => r.Id == orphan.Id);
        Assert.Equal(BugReportStatus.Failed, onDisk.Status);
        Assert.NotNull(onDisk.EndedAt);
        Assert.False((await restarted.StartAsync("api", "alice", CancellationToken.None)).AlreadyRunning);
    }

    [RootFact]
    public async Task OpenRead_LargeArchive_ChunksReassembleToTheSameSha256()
    {
        var tool = StandInBugReportTool.Writing(_host, (3 * 1024 * 1024) + 123);
        using var collector = Create(tool.Path);
        var started = await collector.StartAsync("api", "alice", CancellationToken.None);
        var report = await collector.WaitForCompletionAsync(started.Report.ReportId, CancellationToken.None);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunks = new List<BugReportChunk>();
        await using (var download = collector.OpenRead(report.ReportId))
        {
            await foreach (var chunk in BugReportChunks.ReadAsync(download))
            {
                sha.AppendData(chunk.Data.Span);
                chunks.Add(new BugReportChunk { Offset = chunk.Offset, TotalSize = chunk.TotalSize, FileName = chunk.FileName, Sha256 = chunk.Sha256, Data = Google.Protobuf.ByteString.Empty });
                Assert.True(chunk.Data.Length <= BugReportChunks.DefaultChunkSize);
            }
        }

        Assert.Equal(Convert.ToHexStringLower(sha.GetHashAndReset()), report.Sha256);
        Assert.Equal(report.SizeBytes, chunks[0].TotalSize);
        Assert.Equal("nvidia-bug-report.log.gz", chunks[0].FileName);
        Assert.Equal(report.Sha256, chunks[0].Sha256);
        Assert.All(chunks.Skip(1), c => Assert.Equal("", c.Sha256));
        Assert.Equal((int)Math.Ceiling(report.SizeBytes / (double)BugReportChunks.DefaultChunkSize), chunks.Count);
        Assert.Equal(Enumerable.Range(0, chunks.Count).Select(i => (long)i * BugReportChunks.DefaultChunkSize), chunks.Select(c => c.Offset));
    }

    [RootFact]
    public async Task WriteAsync_ToGrpcStreamWriter_SameBytesAsTheFile()
    {
        var tool = StandInBugReportTool.Writing(_host, 300_000);
        using var collector = Create(tool.Path);
        var started = await collector.StartAsync("api", "alice", CancellationToken.None);
        var report = await collector.WaitForCompletionAsync(started.Report.ReportId, CancellationToken.None);
        var writer = new CollectingStreamWriter();

        await using (var download = collector.OpenRead(report.ReportId))
        {
            await BugReportChunks.WriteAsync(download, writer, CancellationToken.None, chunkSize: 100_000);
        }

        var archive = Path.Combine(_stateDirectory, "bug-reports", report.ReportId, report.FileName);
        Assert.Equal(await File.ReadAllBytesAsync(archive), writer.Bytes.ToArray());
        Assert.Equal(4, writer.Count);
    }

    [RootFact]
    public async Task StartAsync_BadTriggerOrId_InvalidArgumentAndNothingStarted()
    {
        var tool = StandInBugReportTool.Writing(_host, 10);
        using var collector = Create(tool.Path);

        var bad = await Assert.ThrowsAsync<InvalidRequestException>(() => collector.StartAsync("cron", "alice", CancellationToken.None));
        await Assert.ThrowsAsync<InvalidRequestException>(() => collector.StartAsync("injection:../../x", "alice", CancellationToken.None));
        Assert.Throws<InvalidRequestException>(() => collector.Get("../metadata"));
        Assert.Throws<InvalidRequestException>(() => collector.OpenRead(""));
        var missing = Assert.Throws<BugReportNotFoundException>(() => collector.Get("20260101T000000Z-deadbeef"));

        Assert.Equal("trigger", bad.Field);
        Assert.Equal(StatusCode.InvalidArgument, FaultAgent.Grpc.FaultErrorInterceptor.ToRpcException(bad)!.StatusCode);
        Assert.Equal(StatusCode.NotFound, FaultAgent.Grpc.FaultErrorInterceptor.ToRpcException(missing)!.StatusCode);
        Assert.Empty(collector.List().Reports);
        Assert.Empty(tool.Calls);

        var injection = await collector.StartAsync("injection:xid-79.node_1", "alice", CancellationToken.None);
        Assert.Equal("injection:xid-79.node_1", injection.Report.Trigger);
        await collector.WaitForCompletionAsync(injection.Report.ReportId, CancellationToken.None);
    }

    private static string ReadGzipText(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.Latin1);
        return reader.ReadToEnd(); // every gzip member of the file, in order
    }

    private sealed class CollectingStreamWriter : IAsyncStreamWriter<BugReportChunk>
    {
        public MemoryStream Bytes { get; } = new();

        public int Count { get; private set; }

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(BugReportChunk message)
        {
            Assert.Equal(Bytes.Length, message.Offset);
            message.Data.WriteTo(Bytes);
            Count++;
            return Task.CompletedTask;
        }
    }
}
