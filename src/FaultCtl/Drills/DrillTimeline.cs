using System.Globalization;
using FaultCtl.Hosting;
using FaultCtl.Output;
using FaultInjection.Client;
using FaultInjection.Client.Drills;

namespace FaultCtl.Drills;

/// <summary>
/// Follows a drill live through its event stream (<c>GET /api/v1/drills/{id}/events</c>): prints every step as it
/// arrives with its time since the injection and since the step before, then the verdict. A stream that breaks off
/// (a proxy, <c>kubectl port-forward</c>) is re-opened; replayed steps are not printed twice.
/// </summary>
public sealed class DrillTimeline(CommandContext context)
{
    private readonly HashSet<int> _printed = [];
    private double _lastSeconds;

    /// <summary>The drill's header line (table output).</summary>
    public void WriteHeader(Drill drill)
    {
        ArgumentNullException.ThrowIfNull(drill);
        if (context.Json)
        {
            return;
        }

        var target = drill.Kind == "sxid"
            ? string.Create(CultureInfo.InvariantCulture, $"sxid {drill.Code} on nvswitch {drill.Nvswitch} link {drill.Link}")
            : string.Create(CultureInfo.InvariantCulture, $"xid {drill.Code} on gpu {drill.GpuId}");
        context.Output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"drill {drill.DrillId} on {drill.NodeName}: {target}, expecting {string.Join(", ", drill.Expect)} (timeout {drill.TimeoutSeconds:0.#} s)"));
        context.Output.Flush();
    }

    /// <summary>Prints the steps as they come until the verdict, and returns the finished drill (read once more for its evidence).</summary>
    public async Task<Drill> FollowAsync(string drillId, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await foreach (var drillEvent in context.Client.StreamDrillEventsAsync(drillId, cancellationToken).ConfigureAwait(false))
                {
                    if (drillEvent.Event == DrillEvent.DeletedEvent)
                    {
                        throw new OutcomeException($"the record of drill {drillId} disappeared while it was followed");
                    }

                    if (drillEvent.Event == DrillEvent.StepEvent && drillEvent.Step is { } step && _printed.Add(drillEvent.Index ?? _printed.Count))
                    {
                        Write(drillEvent, step);
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // The stream broke off: the record says whether the drill ended; if not, follow again.
            }

            var drill = await context.Client.GetDrillAsync(drillId, cancellationToken).ConfigureAwait(false);
            if (drill.IsFinished)
            {
                WriteSteps(drill);
                return drill;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Prints the drill's steps not printed yet (all of them for a drill read with GET).</summary>
    public void WriteSteps(Drill drill)
    {
        ArgumentNullException.ThrowIfNull(drill);
        for (var i = 0; i < drill.Steps.Count; i++)
        {
            if (_printed.Add(i))
            {
                Write(new DrillEvent { Event = DrillEvent.StepEvent, Index = i, Step = drill.Steps[i] }, drill.Steps[i]);
            }
        }
    }

    /// <summary>The verdict: the finished drill (JSON), or one line (table).</summary>
    public void WriteVerdict(Drill drill)
    {
        ArgumentNullException.ThrowIfNull(drill);
        if (context.Json)
        {
            JsonOutput.Write(context.Output, drill, CliJsonContext.Compact.Drill);
            return;
        }

        var last = drill.Steps.Count > 0 ? drill.Steps[^1].SecondsSinceInjection : 0;
        context.Output.WriteLine(drill.Passed
            ? string.Create(CultureInfo.InvariantCulture, $"{drill.State}: every expectation observed, the last {last:F1} s after the injection")
            : $"{drill.State}: {OneLine.Of(drill.Reason)}{(drill.Missing.Count > 0 ? $" (missing: {string.Join(", ", drill.Missing)})" : "")}");
    }

    private void Write(DrillEvent drillEvent, DrillStep step)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Output, drillEvent, CliJsonContext.Compact.DrillEvent);
        }
        else
        {
            var delta = step.SecondsSinceInjection - _lastSeconds;
            var evidence = string.Join(' ', step.Evidence.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));
            context.Output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  +{step.SecondsSinceInjection,8:F1}s  (+{delta,7:F1}s)  {step.Step,-28}  {OneLine.Of(evidence)}").TrimEnd());
        }

        _lastSeconds = Math.Max(_lastSeconds, step.SecondsSinceInjection);
        context.Output.Flush();
    }
}
