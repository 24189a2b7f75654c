using System.Collections.Concurrent;
using System.Globalization;
using FaultAgent.HostProcesses;
using FaultAgent.Injection;
using FaultAgent.Limits;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Telemetry;

/// <summary>
/// Board serials and PCI ids from the host's nvidia-smi (<c>--query-gpu=pci.bus_id,serial,pci.device_id --format=csv,noheader,nounits</c>), the
/// values the driver prints in its preamble, Xid 79's follow-up and its probe message. A GPU's values are kept once
/// learned (they belong to the board). A missing tool, an unenterable host namespace, a timeout or a failed run make the
/// values unknown (with the reason), never an error; that answer is kept for <see cref="RetryAfterFailure"/>, so
/// injections on a node without nvidia-smi do not each pay for a failing host command. So is a board nvidia-smi lists
/// without a serial or PCI id (<c>[N/A]</c>), or does not list, and lookups at once share one run (#14, redteam4: each
/// Xid 79 and each dry run of one — dry runs take no token of the node's rate limit — ran nvidia-smi on the host again).
/// A caller waits for a run at most <see cref="TelemetryOptions.BoardLookupWait"/>, then gets
/// <see cref="BoardInfoPendingException"/>: a hung nvidia-smi used to hold an injection (and, through the GPU's preamble
/// reservation, every other one on that GPU) until the API's call deadline, a 504 naming nothing (#14, preamblecrash).
/// </summary>
public sealed class NvidiaSmiBoardInfoSource(
    IHostCommandRunner runner,
    IOptions<HostToolsOptions> tools,
    IOptions<TelemetryOptions> options,
    TimeProvider time,
    ILogger<NvidiaSmiBoardInfoSource> logger) : IGpuBoardInfoSource
{
    /// <summary>How long a failed lookup's answer (or a board's incomplete one) is reused before nvidia-smi is asked again.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    /// <summary>The least retry delay of a pending lookup (<see cref="PendingRetryAfter"/>).</summary>
    public static readonly TimeSpan MinimumPendingRetryAfter = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, GpuBoardInfo> _known = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Tuple<GpuBoardInfo, DateTimeOffset>> _incomplete = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private Task<GpuBoardInfo?>? _inFlight;
    private Task<DateTimeOffset>? _inFlightTimeoutStarted; // under _gate, with _inFlight
    private Tuple<GpuBoardInfo, DateTimeOffset>? _failure; // a reference, so threads see it whole
    private Tuple<DateTimeOffset>? _answered; // when the last run answered: a board it did not list is not asked for again before RetryAfterFailure

    public async Task<GpuBoardInfo> GetAsync(string pciBusId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pciBusId);
        if (Answered(pciBusId) is { } answered)
        {
            return answered;
        }

        // A caller's cancellation ends its wait, not the shared run (the command has its own timeout).
        var (flight, timeoutStarted) = SharedRun(pciBusId);
        GpuBoardInfo? failed;
        try
        {
            failed = await flight.WaitAsync(options.Value.BoardLookupWait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // What is left of the runner's own CommandTimeout, counted from when it began (the run's process started), not
            // from when the shared run was created: that is earlier by the spawn, and the delay was then that much short.
            // Known before the runner returned the run's task, so waiting for it here waits for a spawn at most.
            var started = await timeoutStarted.WaitAsync(cancellationToken).ConfigureAwait(false);
            var settings = options.Value;
            var retryAfter = PendingRetryAfter(started + settings.CommandTimeout - time.GetUtcNow());
            throw new BoardInfoPendingException(pciBusId, retryAfter, string.Create(CultureInfo.InvariantCulture,
                $"The board serial of the GPU at {pciBusId} is still being looked up: the host's nvidia-smi has not answered within {settings.BoardLookupWait.TotalSeconds:0.###} s (Agent:Telemetry:BoardLookupWait; the run goes on up to Agent:Telemetry:CommandTimeout, {settings.CommandTimeout.TotalSeconds:0.###} s). The records need it: the GPU's first Xid line this boot follows the driver's preamble, 'NVRM: GPU Board Serial Number: <serial>' (Xid 79's follow-up prints it too), and a serial is never invented. Nothing was written; retry after {RetryDelay.WholeSeconds(retryAfter)} s, when the run has answered or timed out."));
        }

        if (ReferenceEquals(failed, Stopped))
        {
            // Not an answer to write without the serial (the preamble would count as printed this boot): refused as pending.
            throw new BoardInfoPendingException(pciBusId, MinimumPendingRetryAfter, string.Create(CultureInfo.InvariantCulture,
                $"The board serial of the GPU at {pciBusId} was not learned: the host's nvidia-smi was ended because the agent is stopping. The records need it (the GPU's first Xid line this boot follows the driver's preamble, 'NVRM: GPU Board Serial Number: <serial>'), and a serial is never invented. Nothing was written; retry once the agent has started again."));
        }

        if (failed is not null)
        {
            return failed;
        }

        return Kept(pciBusId) ?? Unlisted(pciBusId);
    }

    /// <summary>
    /// Starts the shared run now when a <see cref="GetAsync"/> for one of <paramref name="pciBusIds"/> would start it:
    /// one of them not kept, and no failure or answer of the last <see cref="RetryAfterFailure"/> that would answer it.
    /// So the GPUs' inventory, read at start or again (<see cref="BoardSerialLookAhead"/>), runs nvidia-smi at most once,
    /// and an injection on a GPU whose preamble is due normally finds its serial kept; a hung run holds nothing (the
    /// injection then waits for it at most <see cref="TelemetryOptions.BoardLookupWait"/>, as for a run it started).
    /// </summary>
    public void LookAhead(IReadOnlyCollection<string> pciBusIds)
    {
        ArgumentNullException.ThrowIfNull(pciBusIds);
        if (pciBusIds.FirstOrDefault(b => Answered(b) is null) is { } unanswered)
        {
            _ = SharedRun(unanswered);
        }
    }

    /// <summary>
    /// What <see cref="GetAsync"/> answers without a run: the board's kept values, the last failure while it is kept, or
    /// "not listed" while the last run's answer is; null when only a run can answer.
    /// </summary>
    private GpuBoardInfo? Answered(string pciBusId)
    {
        if (Kept(pciBusId) is { } kept)
        {
            return kept;
        }

        var now = time.GetUtcNow();
        if (Volatile.Read(ref _failure) is { } failure && now < failure.Item2)
        {
            return failure.Item1;
        }

        return Volatile.Read(ref _answered) is { } answered && now < answered.Item1 + RetryAfterFailure ? Unlisted(pciBusId) : null;
    }

    /// <summary>
    /// The run in flight, or a new one started for everyone asking now, with when the runner's timeout began for it
    /// (completed before the runner returns the run's task; at the run's end when it never started a process).
    /// </summary>
    private (Task<GpuBoardInfo?> Run, Task<DateTimeOffset> TimeoutStarted) SharedRun(string pciBusId)
    {
        lock (_gate)
        {
            if (_inFlight is null)
            {
                var timeoutStarted = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
                _inFlightTimeoutStarted = timeoutStarted.Task;
                _inFlight = RunAsync(pciBusId, timeoutStarted);
            }

            return (_inFlight, _inFlightTimeoutStarted!);
        }
    }

    /// <summary>
    /// A pending lookup's retry delay: what is left of the shared run's <c>CommandTimeout</c> (by then it answered, or the
    /// runner ended it and its failure is kept, so a retry is written either way; a retry that comes while the runner
    /// kills the run waits for its end up to <see cref="TelemetryOptions.BoardLookupWait"/>), in whole seconds rounded
    /// up, at least 1 s — a run past its timeout is ending (<see cref="RetryDelay.WholeSeconds"/>, as every refusal's
    /// <c>Retry-After</c>): the RetryInfo a caller reads is the wait it should take, never shorter than the run's time left.
    /// </summary>
    public static TimeSpan PendingRetryAfter(TimeSpan runTimeLeft) => TimeSpan.FromSeconds(RetryDelay.WholeSeconds(runTimeLeft));

    /// <summary>The shared run's answer when the agent's stop ended it (compared by reference; never returned to a caller).</summary>
    private static readonly GpuBoardInfo Stopped = GpuBoardInfo.Unknown("nvidia-smi was ended: the agent is stopping");

    private static GpuBoardInfo Unlisted(string pciBusId) => GpuBoardInfo.Unknown($"nvidia-smi lists no GPU at {pciBusId}");

    /// <summary>The board's values when learned, or its incomplete answer while still fresh.</summary>
    private GpuBoardInfo? Kept(string pciBusId) =>
        _known.TryGetValue(pciBusId, out var known) ? known
        : _incomplete.TryGetValue(pciBusId, out var incomplete) && time.GetUtcNow() < incomplete.Item2 ? incomplete.Item1
        : null;

    /// <summary>
    /// One nvidia-smi run for everyone asking now: null when it answered (its boards kept), else the failure's answer.
    /// <paramref name="timeoutStarted"/> gets the moment the runner's timeout began (<see cref="HostCommand.TimeoutStarted"/>),
    /// read on this source's clock; at the latest when the runner returned the run's task, or at the run's end.
    /// </summary>
    private async Task<GpuBoardInfo?> RunAsync(string pciBusId, TaskCompletionSource<DateTimeOffset> timeoutStarted)
    {
        await Task.Yield(); // never run it under the lock
        try
        {
            var command = NvidiaSmiCommand.Create(tools.Value, ["--query-gpu=pci.bus_id,serial,pci.device_id", "--format=csv,noheader,nounits"], options.Value.CommandTimeout)
                with { TimeoutStarted = () => timeoutStarted.TrySetResult(time.GetUtcNow()) };
            HostCommandResult run;
            try
            {
                var running = runner.RunAsync(command, CancellationToken.None);
                timeoutStarted.TrySetResult(time.GetUtcNow()); // a runner that does not call it: its timeout began by now
                run = await running.ConfigureAwait(false);
            }
            catch (HostCommandStoppedException e)
            {
                // The agent is stopping: no answer, and nothing kept for the next run (of the next start).
                TelemetryLog.BoardInfoUnavailable(logger, pciBusId, e.Message);
                return Stopped;
            }
            catch (HostCommandException e)
            {
                TelemetryLog.BoardInfoUnavailable(logger, pciBusId, e.Message);
                return Failed(GpuBoardInfo.Unknown($"nvidia-smi could not be run: {e.Message}"));
            }

            if (run.ExitCode != 0)
            {
                var detail = (run.StandardError.Trim().Length > 0 ? run.StandardError : run.StandardOutput).Trim();
                TelemetryLog.BoardInfoUnavailable(logger, pciBusId, detail);
                return Failed(GpuBoardInfo.Unknown(string.Create(CultureInfo.InvariantCulture, $"nvidia-smi exited with {run.ExitCode}: {detail}")));
            }

            var retryAt = time.GetUtcNow() + RetryAfterFailure;
            foreach (var (busId, info) in Parse(run.StandardOutput))
            {
                if (info.UnavailableReason is null)
                {
                    _known[busId] = info;
                    _incomplete.TryRemove(busId, out _);
                }
                else
                {
                    _incomplete[busId] = Tuple.Create(info, retryAt);
                }
            }

            Volatile.Write(ref _failure, null);
            Volatile.Write(ref _answered, Tuple.Create(time.GetUtcNow()));
            return null;
        }
        finally
        {
            timeoutStarted.TrySetResult(time.GetUtcNow()); // the runner threw before it started anything: nothing is left of it
            lock (_gate)
            {
                _inFlight = null;
                _inFlightTimeoutStarted = null;
            }
        }
    }

    private GpuBoardInfo Failed(GpuBoardInfo answer)
    {
        Volatile.Write(ref _failure, Tuple.Create(answer, time.GetUtcNow() + RetryAfterFailure));
        return answer;
    }

    /// <summary>Parses <c>00000000:18:00.0, 1650124031592, 0x233010DE</c> lines into procfs bus id and board info.</summary>
    public static IEnumerable<(string BusId, GpuBoardInfo Info)> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            if (cells.Length != 3 || NvidiaSmiValue.AsText(cells[0]) is not { } bus)
            {
                continue;
            }

            var serial = NvidiaSmiValue.AsText(cells[1]);
            var pciId = ParsePciId(cells[2]);
            var reasons = new List<string>(2);
            if (serial is null)
            {
                reasons.Add($"nvidia-smi reports no board serial ({cells[1]})");
            }

            if (pciId is null)
            {
                reasons.Add($"nvidia-smi reports no PCI device id ({cells[2]})");
            }

            yield return (PciBusIdFormat.ToProcfs(bus), new GpuBoardInfo(serial, pciId, reasons.Count == 0 ? null : string.Join("; ", reasons)));
        }
    }

    /// <summary><c>0x233010DE</c> (device id, then vendor id) to <c>10de:2330</c>, as the driver prints <c>%04x:%04x</c>.</summary>
    public static string? ParsePciId(string? text)
    {
        var value = NvidiaSmiValue.AsText(text);
        if (value is null || !value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || value.Length != 10
            || !uint.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{id & 0xFFFF:x4}:{id >> 16:x4}");
    }
}
