using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace FaultApi.Suites;

/// <summary>
/// The suites this replica runs: each <see cref="SuiteRunner"/> with its task, halted for a cancel and stopped at
/// shutdown (leases released, the suites left running for the next replica to resume). A suite that ended here but
/// whose end no write could record (<see cref="SuiteRunner.EndNotRecorded"/>) is kept, ended, for reads and for
/// <see cref="SuiteService.RecordUnrecordedAsync"/> to write again, until its record says it ended or is gone.
/// </summary>
public sealed class RunningSuites(ILogger<RunningSuites> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (SuiteRunner Runner, Task Run)> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (SuiteRecord Suite, string Why)> _unrecorded = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The ids of the suites running here.</summary>
    public IReadOnlyCollection<string> Ids => [.. _running.Keys];

    /// <summary>True once the replica is stopping: no suite is taken over any more.</summary>
    public bool Stopping => _stopping.IsCancellationRequested;

    /// <summary>True when the suite runs here, or ended here without a record of its end (no replica is to resume it).</summary>
    public bool Contains(string suiteId) => _running.ContainsKey(suiteId) || _unrecorded.ContainsKey(suiteId);

    /// <summary>The suites that ended here whose end no write could record yet, as they ended.</summary>
    public IReadOnlyCollection<SuiteRecord> Unrecorded => [.. _unrecorded.Values.Select(u => u.Suite)];

    /// <summary>The suite as it ended here when its end could not be recorded, and why it could not.</summary>
    public bool TryGetUnrecorded(string suiteId, [NotNullWhen(true)] out SuiteRecord? suite, [NotNullWhen(true)] out string? why)
    {
        var known = _unrecorded.TryGetValue(suiteId, out var unrecorded);
        (suite, why) = known ? unrecorded : (null, null);
        return known;
    }

    /// <summary>Forgets an unrecorded end: it is recorded now (or the record says otherwise, or is gone).</summary>
    public void Recorded(string suiteId) => _unrecorded.TryRemove(suiteId, out _);

    /// <summary>Halts the suite's runner if it runs here (no further drill starts) and gives its task to wait for.</summary>
    public bool TryHalt(string suiteId, out Task run)
    {
        if (_running.TryGetValue(suiteId, out var local))
        {
            local.Runner.Halt();
            run = local.Run;
            return true;
        }

        run = Task.CompletedTask;
        return false;
    }

    /// <summary>Runs <paramref name="runner"/> in the background; <paramref name="ended"/> gets the suite when it ends with a verdict.</summary>
    public void Start(SuiteRunner runner, Action<SuiteRecord> ended)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(ended);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Task.Run(async () =>
        {
            await started.Task.ConfigureAwait(false);
            try
            {
                if (await runner.RunAsync(_stopping.Token).ConfigureAwait(false) is { } record)
                {
                    if (runner.EndNotRecorded is { } why)
                    {
                        _unrecorded[runner.SuiteId] = (record, why);
                    }

                    ended(record);
                }
            }
#pragma warning disable CA1031 // A failing suite must not take the API down; it is logged and its lease expires.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SuitesLog.RunFailed(logger, ex, runner.SuiteId);
            }
            finally
            {
                _running.TryRemove(runner.SuiteId, out _);
                runner.Dispose();
            }
        });
        _running[runner.SuiteId] = (runner, run);
        started.SetResult();
    }

    /// <summary>Stops the suites running here and waits for their runners to release their leases.</summary>
    public async Task StopAllAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Values.Select(r => r.Run)).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the suites running here. The token source is left to the collector: in a host stopped twice at once (a
    /// test host's dispose while its app thread stops it too) <see cref="StopAllAsync"/> may still run after this.
    /// </summary>
    public async ValueTask DisposeAsync() => await StopAllAsync().ConfigureAwait(false);
}
