using System.CommandLine;
using System.Globalization;
using FaultCtl.Faults;
using FaultCtl.Hosting;
using FaultCtl.Output;
using FaultInjection.Client;
using FaultInjection.Client.Drills;

namespace FaultCtl.Drills;

/// <summary><c>faultctl drill run|watch|get|list|cancel</c>: the drills API (Kubernetes routing mode; static mode answers 501).</summary>
public static class DrillCommand
{
    /// <summary>The reason a drill is cancelled with when <c>drill run --follow</c> is interrupted.</summary>
    public const string InterruptedReason = "faultctl interrupted";

    /// <summary>The <c>drill</c> command.</summary>
    public static Command Create(CommandActions actions) => new("drill", "Inject and measure how the cluster's GPU health monitor reacts (node condition, cordon, drain, reboot, recover).")
    {
        CreateRun(actions),
        CreateWatch(actions),
        CreateGet(actions),
        CreateList(actions),
        CreateCancel(actions),
    };

    private static Command CreateRun(CommandActions actions)
    {
        var node = new Option<string>("--node", "-n") { Description = "The node to drill.", Required = true, HelpName = "node" };
        var xid = new Option<int?>("--xid") { Description = "The Xid to inject (one of --xid or --sxid).", HelpName = "xid" };
        var gpu = new Option<int?>("--gpu", "-g") { Description = "With --xid: the GPU's Device Minor (default 0).", HelpName = "id" };
        var sxid = new Option<int?>("--sxid") { Description = "The SXid to inject, with --nvswitch and --link.", HelpName = "sxid" };
        var nvswitch = new Option<int?>("--nvswitch") { Description = "With --sxid: the N of nvidia-nvswitchN.", HelpName = "n" };
        var link = new Option<int?>("--link") { Description = "With --sxid: the NVLink port.", HelpName = "port" };
        var message = new Option<string?>("--message", "-m") { Description = "The text after the number (default: the catalog's).", HelpName = "text" };
        var expect = new Option<string[]>("--expect", "-e")
        {
            Description = "The expected reactions, in any order: condition:<Type>, cordon, taint:<key>, drain[:<namespace>], reboot, recover (repeat, or separate with commas).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
            HelpName = "expectation",
        };
        var timeout = OptionFactory.Duration("--timeout", "When the drill fails if not every reaction was seen (e.g. 30m); default: the API's.");
        var surface = OptionFactory.Surface();
        var follow = new Option<bool>("--follow", "-f") { Description = "Follow the drill live to its verdict; exit 0 only if it passed. Ctrl-C cancels the drill on the server." };
        var command = new Command("run", "Start a drill: faultctl drill run --node n --xid 79 --expect condition:SysLogsXIDError,cordon --follow.")
        {
            node, xid, gpu, sxid, nvswitch, link, message, expect, timeout, surface, follow,
        };
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var expectations = parse.GetRequiredValue(expect).SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var nodeName = parse.GetRequiredValue(node);
            var wait = parse.GetValue(timeout);
            DrillRequest request;
            if (parse.GetValue(xid) is { } code && parse.GetValue(sxid) is null)
            {
                if (parse.GetValue(nvswitch) is not null || parse.GetValue(link) is not null)
                {
                    throw new UsageException("--nvswitch and --link go with --sxid.");
                }

                request = new DrillRequest
                {
                    NodeName = nodeName,
                    Xid = code,
                    GpuId = parse.GetValue(gpu) ?? 0,
                    Expect = expectations,
                    TimeoutSeconds = wait?.TotalSeconds,
                    Message = parse.GetValue(message),
                    Surfaces = OptionFactory.Surfaces(parse, surface),
                };
            }
            else if (parse.GetValue(sxid) is { } switchCode && parse.GetValue(xid) is null)
            {
                if (parse.GetValue(nvswitch) is not { } nvswitchId || parse.GetValue(link) is not { } linkId || parse.GetValue(gpu) is not null)
                {
                    throw new UsageException("--sxid needs --nvswitch and --link (and takes no --gpu).");
                }

                if (OptionFactory.Surfaces(parse, surface) is not null)
                {
                    throw new UsageException("--surface goes with --xid (an SXid is written to the kernel log only).");
                }

                request = DrillRequest.ForSxid(nodeName, switchCode, nvswitchId, linkId, expectations, wait, parse.GetValue(message));
            }
            else
            {
                throw new UsageException("Give exactly one of --xid or --sxid.");
            }

            var drill = await context.Client.StartDrillAsync(request, cancellationToken).ConfigureAwait(false);
            if (!parse.GetValue(follow))
            {
                return WriteDrill(context, drill);
            }

            var timeline = new DrillTimeline(context);
            timeline.WriteHeader(drill);
            try
            {
                var finished = await timeline.FollowAsync(drill.DrillId, cancellationToken).ConfigureAwait(false);
                return Verdict(context, timeline, finished);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await CancelOnServerAsync(context, drill.DrillId).ConfigureAwait(false);
                throw;
            }
        });
        return command;
    }

    private static Command CreateWatch(CommandActions actions)
    {
        var id = new Argument<string>("drill-id") { Description = "The drill to follow." };
        var command = new Command("watch", "Follow a running (or finished) drill's timeline to its verdict; exit 0 only if it passed. Ctrl-C stops watching only.") { id };
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var drill = await context.Client.GetDrillAsync(parse.GetRequiredValue(id), cancellationToken).ConfigureAwait(false);
            var timeline = new DrillTimeline(context);
            timeline.WriteHeader(drill);
            return Verdict(context, timeline, await timeline.FollowAsync(drill.DrillId, cancellationToken).ConfigureAwait(false));
        });
        return command;
    }

    private static Command CreateGet(CommandActions actions)
    {
        var id = new Argument<string>("drill-id") { Description = "The drill." };
        var command = new Command("get", "Show a drill: its state, verdict and timeline.") { id };
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var drill = await context.Client.GetDrillAsync(parse.GetRequiredValue(id), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                return WriteDrill(context, drill);
            }

            var timeline = new DrillTimeline(context);
            timeline.WriteHeader(drill);
            timeline.WriteSteps(drill);
            if (drill.IsFinished)
            {
                timeline.WriteVerdict(drill);
            }
            else
            {
                context.Output.WriteLine($"running; missing: {string.Join(", ", drill.Missing)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateList(CommandActions actions)
    {
        var node = new Option<string?>("--node", "-n") { Description = "Only this node's drills.", HelpName = "node" };
        var command = new Command("list", "List drills, newest first.") { node };
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var drills = await context.Client.ListDrillsAsync(parse.GetValue(node), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, drills, CliJsonContext.Default.DrillList);
                return ExitCodes.Success;
            }

            var table = new Table("DRILL", "NODE", "CODE", "STATE", "CREATED", "EXPECT", "REASON");
            foreach (var drill in drills.Drills)
            {
                table.Add(drill.DrillId, drill.NodeName, string.Create(CultureInfo.InvariantCulture, $"{drill.Kind} {drill.Code}"), drill.State, FaultTable.Time(drill.CreatedAt), string.Join(",", drill.Expect), drill.Reason);
            }

            table.WriteTo(context.Output);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateCancel(CommandActions actions)
    {
        var id = new Argument<string>("drill-id") { Description = "The drill to cancel." };
        var reason = new Option<string?>("--reason", "-r") { Description = "Why.", HelpName = "text" };
        var command = new Command("cancel", "Cancel a running drill (a finished one is shown unchanged).") { id, reason };
        actions.Set(command, async (context, parse, cancellationToken) =>
            WriteDrill(context, await context.Client.CancelDrillAsync(parse.GetRequiredValue(id), parse.GetValue(reason), cancellationToken).ConfigureAwait(false)));
        return command;
    }

    private static int Verdict(CommandContext context, DrillTimeline timeline, Drill drill)
    {
        timeline.WriteVerdict(drill);
        return drill.Passed ? ExitCodes.Success : ExitCodes.Failed;
    }

    private static int WriteDrill(CommandContext context, Drill drill)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Output, drill, CliJsonContext.Default.Drill);
            return ExitCodes.Success;
        }

        var table = new Table("DRILL", "NODE", "CODE", "STATE", "EXPECT", "MISSING", "REASON");
        table.Add(drill.DrillId, drill.NodeName, string.Create(CultureInfo.InvariantCulture, $"{drill.Kind} {drill.Code}"), drill.State, string.Join(",", drill.Expect), string.Join(",", drill.Missing), drill.Reason);
        table.WriteTo(context.Output);
        return ExitCodes.Success;
    }

    // Interrupted while following: cancel the drill on the server too (best effort, at most 10 s), so no drill keeps
    // running behind an aborted CI job; it would otherwise end at its own timeout.
    private static async Task CancelOnServerAsync(CommandContext context, string drillId)
    {
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await context.Client.CancelDrillAsync(drillId, InterruptedReason, cleanup.Token).ConfigureAwait(false);
            await context.Error.WriteLineAsync($"drill {drillId} cancelled on the server").ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or FaultInjectionApiException or OperationCanceledException)
        {
            await context.Error.WriteLineAsync($"faultctl: drill {drillId} could not be cancelled ({OneLine.Of(e.Message)}); it ends at its own timeout").ConfigureAwait(false);
        }
    }
}
