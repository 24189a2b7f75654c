using System.Collections.Concurrent;
using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using FaultAgent.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Telemetry;

/// <summary>
/// The node's GPU telemetry and GPU processes from nvidia-smi on the host, cached for <c>Agent:Telemetry:CacheDuration</c>
/// with one shared nvidia-smi run for concurrent callers. Failures throw <see cref="HostCommandException"/> subclasses
/// (each adapter answers them with its own status).
/// </summary>
public sealed class GpuTelemetryService
{
    private readonly IHostCommandRunner _runner;
    private readonly IOptions<AgentOptions> _agent;
    private readonly IOptions<HostToolsOptions> _tools;
    private readonly IOptions<TelemetryOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<GpuTelemetryService> _logger;
    private readonly SingleFlightCache<GpuTelemetry> _telemetry;
    private readonly SingleFlightCache<GpuProcesses> _processes;
    private readonly SingleFlightCache<GpuProcesses> _processesWithPmon;
    private readonly ConcurrentDictionary<string, bool> _unsupportedFields = new(StringComparer.Ordinal);
    private readonly AgentMetrics? _metrics;

    public GpuTelemetryService(
        IHostCommandRunner runner,
        IOptions<AgentOptions> agent,
        IOptions<HostToolsOptions> tools,
        IOptions<TelemetryOptions> options,
        TimeProvider time,
        ILogger<GpuTelemetryService> logger,
        AgentMetrics? metrics = null)
    {
        _metrics = metrics;
        _runner = runner;
        _agent = agent;
        _tools = tools;
        _options = options;
        _time = time;
        _logger = logger;
        TimeSpan Duration() => _options.Value.CacheDuration;
        _telemetry = new SingleFlightCache<GpuTelemetry>(QueryGpusAsync, time, Duration);
        _processes = new SingleFlightCache<GpuProcesses>(ct => QueryProcessesAsync(includePmon: false, ct), time, Duration);
        _processesWithPmon = new SingleFlightCache<GpuProcesses>(ct => QueryProcessesAsync(includePmon: true, ct), time, Duration);
    }

    /// <summary>Query fields this host's nvidia-smi rejected; they are no longer asked for.</summary>
    public IReadOnlyCollection<string> UnsupportedFields => [.. _unsupportedFields.Keys];

    /// <summary>Every GPU's metrics; <paramref name="refresh"/> skips the cache (and still shares a run under way).</summary>
    public async Task<GpuTelemetry> GetTelemetryAsync(bool refresh, CancellationToken cancellationToken)
    {
        CachedValue<GpuTelemetry> result;
        try
        {
            result = await _telemetry.GetAsync(refresh, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _metrics?.TelemetryCollectionFailed("gpus");
            throw;
        }

        return result.Value with { Cached = result.FromCache };
    }

    /// <summary>Compute processes per GPU (gpu index from the GPU query), and one <c>pmon</c> sample when asked.</summary>
    public async Task<GpuProcesses> GetProcessesAsync(bool includePmon, CancellationToken cancellationToken)
    {
        var cache = includePmon ? _processesWithPmon : _processes;
        try
        {
            var result = await cache.GetAsync(refresh: false, cancellationToken).ConfigureAwait(false);
            return result.Value;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _metrics?.TelemetryCollectionFailed(includePmon ? "processes_pmon" : "processes");
            throw;
        }
    }

    private async Task<GpuTelemetry> QueryGpusAsync(CancellationToken cancellationToken)
    {
        var smi = _tools.Value.NvidiaSmiPath;
        for (var attempt = 0; attempt <= GpuQueryFields.All.Count; attempt++)
        {
            var fields = GpuQueryFields.All.Where(f => !_unsupportedFields.ContainsKey(f.Name)).ToList();
            var command = NvidiaSmi(["--query-gpu=" + string.Join(',', fields.Select(f => f.Name)), "--format=csv,noheader,nounits"]);
            var run = await RunAsync(command, cancellationToken).ConfigureAwait(false);

            if (run.ExitCode != 0 && NvidiaSmiInvalidField.TryFind(run.StandardOutput + "\n" + run.StandardError, out var field))
            {
                var rejected = fields.FirstOrDefault(f => f.Name == field);
                if (rejected is null || rejected.Required)
                {
                    throw new HostCommandFailedException(command.ToString(), run.ExitCode, $"nvidia-smi rejected the query field '{field}'");
                }

                _unsupportedFields[field] = true;
                TelemetryLog.FieldNotSupported(_logger, field);
                continue;
            }

            var parsed = GpuQueryParser.Parse(run.StandardOutput, fields);
            if (run.ExitCode != 0)
            {
                if (parsed.Gpus.Count == 0)
                {
                    throw new HostCommandFailedException(command.ToString(), run.ExitCode, Detail(run));
                }

                TelemetryLog.PartialResult(_logger, run.ExitCode, parsed.Gpus.Count, string.Join(" | ", parsed.SkippedLines));
            }
            else if (parsed.SkippedLines.Count > 0)
            {
                TelemetryLog.SkippedLines(_logger, string.Join(" | ", parsed.SkippedLines));
            }

            return new GpuTelemetry(
                _agent.Value.NodeName,
                _time.GetUtcNow(),
                parsed.Gpus.Select(g => g.DriverVersion).FirstOrDefault(v => v.Length > 0) ?? "",
                [.. parsed.Gpus.OrderBy(g => g.Index)]);
        }

        throw new HostCommandFailedException(smi, null, "nvidia-smi kept rejecting query fields");
    }

    private async Task<GpuProcesses> QueryProcessesAsync(bool includePmon, CancellationToken cancellationToken)
    {
        var gpus = await GetTelemetryAsync(refresh: false, cancellationToken).ConfigureAwait(false);
        var indexByUuid = gpus.Gpus.Where(g => g.Uuid.Length > 0).ToDictionary(g => g.Uuid, g => g.Index, StringComparer.Ordinal);

        var apps = NvidiaSmi(["--query-compute-apps=gpu_uuid,pid,process_name,used_memory", "--format=csv,noheader,nounits"]);
        var appsRun = await RunAsync(apps, cancellationToken).ConfigureAwait(false);
        if (appsRun.ExitCode != 0)
        {
            throw new HostCommandFailedException(apps.ToString(), appsRun.ExitCode, Detail(appsRun));
        }

        var collectedAt = _time.GetUtcNow();
        var processes = ComputeAppsParser.Parse(appsRun.StandardOutput, indexByUuid);
        if (!includePmon)
        {
            return new GpuProcesses(_agent.Value.NodeName, collectedAt, processes, []);
        }

        var pmon = NvidiaSmi(["pmon", "-c", "1", "-s", "u"]);
        var pmonRun = await RunAsync(pmon, cancellationToken).ConfigureAwait(false);
        if (pmonRun.ExitCode != 0)
        {
            TelemetryLog.PmonFailed(_logger, pmonRun.ExitCode, Detail(pmonRun));
            throw new HostCommandFailedException(pmon.ToString(), pmonRun.ExitCode, Detail(pmonRun));
        }

        return new GpuProcesses(_agent.Value.NodeName, collectedAt, processes, PmonParser.Parse(pmonRun.StandardOutput));
    }

    /// <summary>nvidia-smi with these arguments: on the host, or chrooted into the containerised driver's root.</summary>
    private HostCommand NvidiaSmi(IReadOnlyList<string> arguments) =>
        NvidiaSmiCommand.Create(_tools.Value, arguments, _options.Value.CommandTimeout);

    private async Task<HostCommandResult> RunAsync(HostCommand command, CancellationToken cancellationToken)
    {
        var run = await _runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        if (_tools.Value.DriverRoot.Length > 0 && run.ExitCode is 125 or 126 or 127
            && run.StandardError.Contains("chroot: ", StringComparison.Ordinal))
        {
            // chroot's own failure (no such root, or no nvidia-smi inside it), not nvidia-smi's.
            throw new HostToolNotFoundException(_tools.Value.NvidiaSmiPath, $"in driver root {_tools.Value.DriverRoot}: {Detail(run)}");
        }

        return run;
    }

    private static string Detail(HostCommandResult run)
    {
        var text = run.StandardError.Trim().Length > 0 ? run.StandardError : run.StandardOutput;
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return line ?? "no output";
    }
}
