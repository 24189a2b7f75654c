using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using FaultAgent.Faults;
using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using FaultAgent.Metrics;
using FaultAgent.Paging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.BugReports;

/// <summary>
/// Runs <c>nvidia-bug-report.sh</c> on the host (through <see cref="IHostCommandRunner"/>) into
/// <c>&lt;StateDirectory&gt;/bug-reports/&lt;id&gt;/</c>, one at a time per node, with a timeout, retention and metadata that
/// survives restarts. Errors: <see cref="InvalidRequestException"/> (a bad
/// trigger or id), <see cref="BugReportNotFoundException"/>, <see cref="BugReportNotReadyException"/> (no archive to read yet).
/// </summary>
public sealed partial class BugReportCollector : IDisposable
{
    public const string RestartedError = "agent restarted";
    public const string StoppingError = "agent stopping";

    private readonly IOptions<AgentOptions> _agent;
    private readonly IOptions<BugReportOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BugReportCollector> _logger;
    private readonly BugReportStore _store;
    private readonly BugReportToolRun _tool;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BugReportRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _runs = new(StringComparer.Ordinal);
    private string? _runningId;
    private int _downloads;

    public BugReportCollector(
        IHostCommandRunner runner,
        IOptions<AgentOptions> agent,
        IOptions<HostToolsOptions> tools,
        IOptions<BugReportOptions> options,
        TimeProvider time,
        ILogger<BugReportCollector> logger,
        IMeterFactory? meterFactory = null)
    {
        _agent = agent;
        _options = options;
        _time = time;
        _logger = logger;
        _store = new BugReportStore(Path.Combine(agent.Value.StateDirectory, "bug-reports"));
        _tool = new BugReportToolRun(runner, agent, tools, options, _store, logger);
        Recover();
        meterFactory?.Create(AgentMetrics.MeterName).CreateObservableGauge("fault_agent.bug_reports", ReportsByStatus, unit: "{report}", description: "Bug reports kept on the node, by status.");
    }

    /// <summary>The agent-side directory holding every report.</summary>
    public string RootDirectory => _store.RootDirectory;

    /// <summary>
    /// Starts a report, or returns the running one (<c>already_running</c>) when one is under way. Returns at once; the
    /// report runs in the background (poll <see cref="Get"/> or await <see cref="WaitForCompletionAsync"/>).
    /// </summary>
    public Task<BugReportStart> StartAsync(string? trigger, string caller, CancellationToken cancellationToken)
    {
        var normalized = BugReportTrigger.Normalize(trigger);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        lock (_gate)
        {
            if (_runningId is { } runningId)
            {
                return Task.FromResult(new BugReportStart(View(_records[runningId]), AlreadyRunning: true));
            }

            var now = _time.GetUtcNow();
            var record = new BugReportRecord
            {
                Id = NewId(now),
                Status = BugReportStatus.Running,
                Trigger = normalized,
                Caller = string.IsNullOrWhiteSpace(caller) ? "unknown" : caller,
                StartedAt = now,
            };
            ApplyRetention(reserve: 1);
            _store.Save(record);
            _records[record.Id] = record;
            _runningId = record.Id;
            BugReportsLog.Started(_logger, record.Id, record.Trigger, record.Caller);
            _runs[record.Id] = Task.Run(() => RunAsync(record), CancellationToken.None);
            return Task.FromResult(new BugReportStart(View(record), AlreadyRunning: false));
        }
    }

    /// <summary>Every report, newest first, with live progress for a running one.</summary>
    public BugReportList List() => List(new PageRequest(int.MaxValue, null));

    /// <summary>
    /// One page of the reports, newest first (by start time, then id: the cursor of the page token), with live progress
    /// for a running one. A token of another list throws <see cref="Faults.InvalidRequestException"/>.
    /// </summary>
    public BugReportList List(PageRequest page)
    {
        Page<BugReportRecord> records;
        lock (_gate)
        {
            records = Paginator.Take(_records.Values, r => [Paginator.Number(r.StartedAt.UtcTicks), r.Id], page, "bug-reports", "", descending: true);
        }

        return new BugReportList(_agent.Value.NodeName, [.. records.Items.Select(View)], records.NextPageToken ?? "", records.TotalSize);
    }

    /// <summary>One report, with live progress (elapsed time, bytes written so far) while it runs.</summary>
    public BugReport Get(string reportId)
    {
        ValidateId(reportId);
        lock (_gate)
        {
            return _records.TryGetValue(reportId, out var record) ? View(record) : throw new BugReportNotFoundException(reportId);
        }
    }

    /// <summary>Waits until the report has ended (returns at once for a finished one).</summary>
    public async Task<BugReport> WaitForCompletionAsync(string reportId, CancellationToken cancellationToken)
    {
        ValidateId(reportId);
        Task? run;
        lock (_gate)
        {
            if (!_records.ContainsKey(reportId))
            {
                throw new BugReportNotFoundException(reportId);
            }

            _runs.TryGetValue(reportId, out run);
        }

        if (run is not null)
        {
            await run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return Get(reportId);
    }

    /// <summary>
    /// Opens a finished report's archive for streaming (the adapters stream it in chunks). The file stays readable even if
    /// retention deletes the report meanwhile.
    /// </summary>
    public BugReportDownload OpenRead(string reportId)
    {
        ValidateId(reportId);
        BugReportRecord record;
        lock (_gate)
        {
            if (!_records.TryGetValue(reportId, out var found))
            {
                throw new BugReportNotFoundException(reportId);
            }

            record = found;
            if (!record.IsFinished)
            {
                throw new BugReportNotReadyException(reportId, "it is still running");
            }

            if (record.FileName.Length == 0)
            {
                throw new BugReportNotReadyException(reportId, $"it ended {record.Status} without an archive" + (record.Error.Length > 0 ? ": " + record.Error : ""));
            }

            // Each open download holds a descriptor and its chunk buffers until its caller has read it all: without a cap, a
            // caller holding downloads open unread grew the agent by ~240 KiB each (1,100 of them: 39 MB to 305 MB resident).
            var limit = _options.Value.MaxConcurrentDownloads;
            if (_downloads >= limit)
            {
                throw new BugReportDownloadLimitException(_agent.Value.NodeName, limit);
            }

            var path = Path.Combine(_store.ReportDirectory(reportId), record.FileName);
            try
            {
                var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 0, useAsync: true);
                _downloads++;
                return new BugReportDownload(reportId, stream, record.FileName, stream.Length, record.Sha256, DownloadEnded)
                {
                    NodeName = _agent.Value.NodeName,
                    IdleTimeout = _options.Value.DownloadIdleTimeout,
                    Time = _time,
                };
            }
            catch (FileNotFoundException)
            {
                throw new BugReportNotFoundException(reportId);
            }
            catch (DirectoryNotFoundException)
            {
                throw new BugReportNotFoundException(reportId);
            }
        }
    }

    /// <summary>Logs a download the agent ended because its caller stopped taking chunks (its place is already free).</summary>
    public void RecordIdleDownload(BugReportDownloadIdleException idle)
    {
        ArgumentNullException.ThrowIfNull(idle);
        BugReportsLog.DownloadIdle(_logger, idle.ReportId, idle.IdleTimeout);
    }

    /// <summary>Logs the end of an idle download's grace: its stream is reset.</summary>
    public void RecordIdleDownloadReset(BugReportDownloadIdleException idle)
    {
        ArgumentNullException.ThrowIfNull(idle);
        BugReportsLog.DownloadIdleReset(_logger, idle.ReportId);
    }

    private void DownloadEnded()
    {
        lock (_gate)
        {
            _downloads--;
        }
    }

    public void Dispose()
    {
        Task[] runs;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            runs = [.. _runs.Values];
        }

        // The runner kills the tool's tree on cancellation; give the run a moment to record "agent stopping".
        Task.WaitAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)).ToArray(), TimeSpan.FromSeconds(10));
        _stopping.Dispose();
    }

    private static string NewId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-"
        + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    private static void ValidateId(string reportId)
    {
        if (string.IsNullOrEmpty(reportId) || !IdPattern().IsMatch(reportId))
        {
            throw new InvalidRequestException("report_id", "must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    private BugReport View(BugReportRecord record) =>
        BugReport.From(record, _agent.Value.NodeName, _time.GetUtcNow(), record.IsFinished ? 0 : _store.OutputBytes(record.Id));

    private async Task RunAsync(BugReportRecord record)
    {
        var (status, exitCode, error) = await _tool.RunAsync(record.Id, _stopping.Token).ConfigureAwait(false);
        try
        {
            var finished = await FinishAsync(record, status, exitCode, error).ConfigureAwait(false);
            BugReportsLog.Ended(_logger, finished.Id, finished.Status, finished.SizeBytes, finished.ExitCode);
            if (finished.Error.Length > 0)
            {
                BugReportsLog.Failed(_logger, finished.Id, finished.Error);
            }
        }
        catch (Exception ex)
        {
            BugReportsLog.Unexpected(_logger, ex, record.Id);
            lock (_gate)
            {
                _records[record.Id] = record with { Status = BugReportStatus.Failed, EndedAt = _time.GetUtcNow(), Error = ex.Message };
            }
        }
        finally
        {
            lock (_gate)
            {
                _runningId = null;
                _runs.Remove(record.Id);
                if (!_stopping.IsCancellationRequested)
                {
                    ApplyRetention(reserve: 0);
                }
            }
        }
    }

    private async Task<BugReportRecord> FinishAsync(BugReportRecord record, BugReportStatus status, int? exitCode, string error)
    {
        var archive = _store.FindArchive(record.Id);
        long size = 0;
        var sha = "";
        if (archive is not null)
        {
            (size, sha) = await BugReportStore.HashAsync(Path.Combine(_store.ReportDirectory(record.Id), archive), CancellationToken.None).ConfigureAwait(false);
        }
        else if (status == BugReportStatus.Succeeded)
        {
            status = BugReportStatus.Failed;
            error = $"the tool exited 0 but wrote no {BugReportStore.OutputFileName}(.gz)";
        }

        var finished = record with
        {
            Status = status,
            EndedAt = _time.GetUtcNow(),
            ExitCode = exitCode,
            SizeBytes = size,
            Sha256 = sha,
            FileName = archive ?? "",
            Error = error,
        };
        _store.Save(finished);
        lock (_gate)
        {
            _records[record.Id] = finished;
        }

        return finished;
    }

    /// <summary>Deletes the oldest finished reports until at most MaxReports - reserve remain. Called under the lock.</summary>
    private void ApplyRetention(int reserve)
    {
        var max = _options.Value.MaxReports;
        var finished = _records.Values.Where(r => r.IsFinished).OrderBy(r => r.StartedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        var excess = _records.Count + reserve - max;
        foreach (var record in finished.Take(Math.Max(0, excess)))
        {
            try
            {
                _store.Delete(record.Id);
                _records.Remove(record.Id);
                BugReportsLog.Deleted(_logger, record.Id, max);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                BugReportsLog.DeleteFailed(_logger, ex, record.Id);
            }
        }
    }

    /// <summary>Loads the stored reports; one left RUNNING by a previous agent process is marked failed.</summary>
    private void Recover()
    {
        var (records, problems) = _store.LoadAll();
        foreach (var problem in problems)
        {
            BugReportsLog.UnreadableMetadata(_logger, problem);
        }

        foreach (var record in records)
        {
            var current = record;
            if (!record.IsFinished)
            {
                var archive = _store.FindArchive(record.Id);
                var (size, sha) = archive is null
                    ? (0L, "")
                    : BugReportStore.HashAsync(Path.Combine(_store.ReportDirectory(record.Id), archive), CancellationToken.None).GetAwaiter().GetResult();
                current = record with
                {
                    Status = BugReportStatus.Failed,
                    EndedAt = _time.GetUtcNow(),
                    Error = RestartedError,
                    FileName = archive ?? "",
                    SizeBytes = size,
                    Sha256 = sha,
                };
                _store.Save(current);
                BugReportsLog.MarkedRestarted(_logger, record.Id);
            }

            _records[current.Id] = current;
        }
    }

    private IEnumerable<Measurement<int>> ReportsByStatus() =>
        List().Reports
            .GroupBy(r => r.Status.ToString())
            .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("status", g.Key)));
}
