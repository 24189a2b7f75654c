using System.Globalization;
using FaultCtl.Hosting;
using FaultCtl.Output;
using FaultInjection.Client.Suites;

namespace FaultCtl.Suites;

/// <summary>
/// Follows a suite through its event stream (<c>GET /api/v1/suites/{id}/events</c>) to its verdict; when live, prints
/// each drill as it starts and ends with the time since the suite started, and for an ended drill the time to each of
/// its steps (or what was never observed). A stream that breaks off is re-opened after the last event seen.
/// </summary>
public sealed class SuiteProgress(CommandContext context, bool live)
{
    private readonly HashSet<int> _printed = [];

    /// <summary>The suite's header line (table output).</summary>
    public void WriteHeader(Suite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (context.Json)
        {
            return;
        }

        var nodes = suite.Drills.Select(d => d.NodeName).Distinct(StringComparer.Ordinal).Count();
        context.Output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"suite {suite.SuiteId}{(suite.Name is null ? "" : $" '{suite.Name}'")}: {suite.Drills.Count} drills on {nodes} nodes, {suite.Concurrency} at a time{(suite.StopOnFailure ? ", stopping at the first failure" : "")}"));
        context.Output.Flush();
    }

    /// <summary>Follows the suite until its verdict and returns the finished suite.</summary>
    public async Task<Suite> FollowAsync(Suite started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        string? lastEventId = null;
        while (true)
        {
            try
            {
                await foreach (var suiteEvent in context.Client.StreamSuiteEventsAsync(started.SuiteId, lastEventId, cancellationToken).ConfigureAwait(false))
                {
                    if (suiteEvent.Event == SuiteStreamEvent.DeletedEvent)
                    {
                        throw new OutcomeException($"the record of suite {started.SuiteId} disappeared while it was followed");
                    }

                    if (suiteEvent.Index is { } index && suiteEvent.Entry is { } entry)
                    {
                        lastEventId = index.ToString(CultureInfo.InvariantCulture);
                        if (_printed.Add(index))
                        {
                            await WriteAsync(started, suiteEvent, entry, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // The stream broke off (a proxy, kubectl port-forward): the record says whether the suite ended.
            }

            var suite = await context.Client.GetSuiteAsync(started.SuiteId, cancellationToken).ConfigureAwait(false);
            if (suite.IsFinished)
            {
                return suite;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every drill's verdict (a table), the per-expectation summary and the suite's verdict line; JSON: the suite.</summary>
    public void WriteResult(Suite suite, string? junitPath)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (context.Json)
        {
            JsonOutput.Write(context.Output, suite, live ? CliJsonContext.Compact.Suite : CliJsonContext.Default.Suite);
            return;
        }

        var table = new Table("#", "DRILL", "NODE", "CODE", "STATE", "LAST STEP", "MISSING");
        foreach (var drill in suite.Drills)
        {
            var last = drill.Steps.Count > 1 ? drill.Steps[^1] : null;
            table.Add(
                drill.Index.ToString(CultureInfo.InvariantCulture),
                drill.Name,
                drill.NodeName,
                string.Create(CultureInfo.InvariantCulture, $"{drill.Kind} {drill.Code}"),
                drill.State,
                last is null ? null : string.Create(CultureInfo.InvariantCulture, $"{last.Step} +{last.SecondsSinceInjection:F1} s"),
                string.Join(",", drill.Missing));
        }

        table.WriteTo(context.Output);
        context.Output.WriteLine("per expectation (time from the injection):");
        foreach (var expectation in suite.Summary)
        {
            context.Output.WriteLine($"  {expectation.Text}");
        }

        var passed = suite.Drills.Count(d => d.State == SuiteStates.Passed);
        var report = junitPath is null ? "" : $" (JUnit report: {junitPath})";
        context.Output.WriteLine(suite.Passed
            ? string.Create(CultureInfo.InvariantCulture, $"passed: {passed}/{suite.Drills.Count} drills passed{report}")
            : string.Create(CultureInfo.InvariantCulture, $"{suite.State}: {passed}/{suite.Drills.Count} drills passed; {OneLine.Of(suite.Reason)}{report}"));
        context.Output.Flush();
    }

    private async Task WriteAsync(Suite started, SuiteStreamEvent suiteEvent, SuiteEvent entry, CancellationToken cancellationToken)
    {
        if (!live)
        {
            return;
        }

        if (context.Json)
        {
            JsonOutput.Write(context.Output, suiteEvent, CliJsonContext.Compact.SuiteStreamEvent);
            context.Output.Flush();
            return;
        }

        var elapsed = string.Create(CultureInfo.InvariantCulture, $"  +{(entry.At - started.CreatedAt).TotalSeconds,8:F1}s  ");
        var line = entry.Event switch
        {
            SuiteEvent.DrillStarted => $"{elapsed}started   #{entry.Index} {entry.Name} on {entry.NodeName}{(entry.DrillId is null ? "" : $" (drill {entry.DrillId})")}",
            SuiteEvent.DrillEnded => $"{elapsed}{entry.State,-9} #{entry.Index} {entry.Name} on {entry.NodeName}: {await StepsAsync(started.SuiteId, entry, cancellationToken).ConfigureAwait(false)}",
            SuiteEvent.SuiteEnded => $"{elapsed}suite {entry.State}",
            _ => null,
        };
        if (line is not null)
        {
            context.Output.WriteLine(line.TrimEnd());
            context.Output.Flush();
        }
    }

    // An ended drill's steps with their time since the injection (read from the suite, which holds the drill's timeline).
    private async Task<string> StepsAsync(string suiteId, SuiteEvent entry, CancellationToken cancellationToken)
    {
        var suite = await context.Client.GetSuiteAsync(suiteId, cancellationToken).ConfigureAwait(false);
        var drill = suite.Drills.FirstOrDefault(d => d.Index == entry.Index);
        if (drill is null)
        {
            return OneLine.Of(entry.Reason);
        }

        var steps = string.Join(", ", drill.Steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Step} +{s.SecondsSinceInjection:F1} s")));
        return entry.State == SuiteStates.Passed
            ? steps
            : $"{(steps.Length == 0 ? "" : steps + "; ")}{(drill.Missing.Count > 0 ? $"never observed: {string.Join(", ", drill.Missing)}" : OneLine.Of(entry.Reason))}";
    }
}
