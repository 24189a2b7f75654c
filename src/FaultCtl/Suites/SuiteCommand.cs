using System.CommandLine;
using System.Globalization;
using FaultCtl.Faults;
using FaultCtl.Hosting;
using FaultCtl.Output;
using FaultInjection.Client;
using FaultInjection.Client.Suites;

namespace FaultCtl.Suites;

/// <summary><c>faultctl suite run|get|list|cancel</c>: drill suites (Kubernetes routing mode; static mode answers 501).</summary>
public static class SuiteCommand
{
    /// <summary>The reason a suite is cancelled with when <c>suite run</c> is interrupted.</summary>
    public const string InterruptedReason = "faultctl interrupted";

    /// <summary>The <c>suite</c> command.</summary>
    public static Command Create(CommandActions actions) => new("suite", "Run a suite of drills across nodes from a YAML/JSON file and get one verdict, a JUnit report and per-expectation percentiles.")
    {
        CreateRun(actions),
        CreateGet(actions),
        CreateList(actions),
        CreateCancel(actions),
    };

    private static Command CreateRun(CommandActions actions)
    {
        var file = new Option<string>("--file", "-f") { Description = "The suite file: the body of POST /api/v1/suites as YAML or JSON (.json); - reads standard input.", Required = true, HelpName = "suite.yaml" };
        var junit = new Option<string?>("--junit") { Description = "Write the suite's JUnit XML report (the API's, one testcase per drill) to this file when the suite ends.", HelpName = "out.xml" };
        var follow = new Option<bool>("--follow") { Description = "Print each drill live as it starts and ends, with the time since the suite started and to each step." };
        var drillTimeout = OptionFactory.Duration("--drill-timeout", "Replaces every drill's timeout_seconds in the file (and from_profile's), e.g. 2m against a fast pipeline.");
        var command = new Command(
            "run",
            "Start a suite and follow it to its verdict: faultctl suite run -f suite.yaml --junit out.xml [--follow]. Exit 0 only if every drill passed, 1 if one did not; Ctrl-C cancels the suite on the server.")
        {
            file, junit, follow, drillTimeout,
        };
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var request = await SuiteFile.ReadAsync(parse.GetRequiredValue(file), Console.In, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(drillTimeout) is { } timeout)
            {
                foreach (var drill in request.Drills ?? [])
                {
                    drill.TimeoutSeconds = timeout.TotalSeconds;
                }

                if (request.FromProfile is { } profile)
                {
                    profile.TimeoutSeconds = timeout.TotalSeconds;
                }
            }

            var junitPath = parse.GetValue(junit);
            var started = await context.Client.StartSuiteAsync(request, cancellationToken).ConfigureAwait(false);
            var progress = new SuiteProgress(context, parse.GetValue(follow));
            progress.WriteHeader(started);
            Suite finished;
            try
            {
                finished = await progress.FollowAsync(started, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await CancelOnServerAsync(context, started.SuiteId, junitPath).ConfigureAwait(false);
                throw;
            }

            if (junitPath is not null)
            {
                await WriteJUnitAsync(context.Client, finished.SuiteId, junitPath, cancellationToken).ConfigureAwait(false);
            }

            progress.WriteResult(finished, junitPath);
            return finished.Passed ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    private static Command CreateGet(CommandActions actions)
    {
        var id = new Argument<string>("suite-id") { Description = "The suite." };
        var junit = new Option<string?>("--junit") { Description = "Also write its JUnit XML report to this file.", HelpName = "out.xml" };
        var command = new Command("get", "Show a suite: every drill's verdict, the per-expectation summary and the suite's verdict.") { id, junit };
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var suite = await context.Client.GetSuiteAsync(parse.GetRequiredValue(id), cancellationToken).ConfigureAwait(false);
            var junitPath = parse.GetValue(junit);
            if (junitPath is not null)
            {
                await WriteJUnitAsync(context.Client, suite.SuiteId, junitPath, cancellationToken).ConfigureAwait(false);
            }

            var progress = new SuiteProgress(context, live: false);
            progress.WriteHeader(suite);
            progress.WriteResult(suite, junitPath);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateList(CommandActions actions)
    {
        var limit = new Option<int?>("--limit") { Description = "At most this many suites (the API's page size).", HelpName = "n" };
        var command = new Command("list", "List suites, newest first.") { limit };
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var suites = await context.Client.ListSuitesAsync(parse.GetValue(limit), null, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, suites, CliJsonContext.Default.SuiteList);
                return ExitCodes.Success;
            }

            var table = new Table("SUITE", "NAME", "STATE", "CREATED", "DRILLS", "PASSED", "REASON");
            foreach (var suite in suites.Suites)
            {
                table.Add(
                    suite.SuiteId,
                    suite.Name,
                    suite.State,
                    FaultTable.Time(suite.CreatedAt),
                    suite.Drills.Count.ToString(CultureInfo.InvariantCulture),
                    suite.Drills.Count(d => d.State == SuiteStates.Passed).ToString(CultureInfo.InvariantCulture),
                    suite.Reason);
            }

            table.WriteTo(context.Output);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateCancel(CommandActions actions)
    {
        var id = new Argument<string>("suite-id") { Description = "The suite to cancel." };
        var reason = new Option<string?>("--reason", "-r") { Description = "Why.", HelpName = "text" };
        var command = new Command("cancel", "Cancel a running suite: its running drills are cancelled and their faults cleared; no further drill starts.") { id, reason };
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var suite = await context.Client.CancelSuiteAsync(parse.GetRequiredValue(id), parse.GetValue(reason), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, suite, CliJsonContext.Default.Suite);
            }
            else
            {
                context.Output.WriteLine($"suite {suite.SuiteId}: {suite.State}{(suite.Reason is null ? "" : $": {OneLine.Of(suite.Reason)}")}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    // The report as the API wrote it, to a temporary file beside the target then renamed: a CI job never reads half a report.
    private static async Task WriteJUnitAsync(FaultInjectionClient client, string suiteId, string path, CancellationToken cancellationToken)
    {
        var xml = await client.GetSuiteJUnitAsync(suiteId, cancellationToken).ConfigureAwait(false);
        var full = Path.GetFullPath(path);
        var temporary = $"{full}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp";
        await File.WriteAllTextAsync(temporary, xml, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, full, overwrite: true);
    }

    // Interrupted: cancel the suite on the server too (best effort, at most 10 s) so no drill keeps running behind an
    // aborted CI job, and still leave the JUnit report of what ran.
    private static async Task CancelOnServerAsync(CommandContext context, string suiteId, string? junitPath)
    {
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await context.Client.CancelSuiteAsync(suiteId, InterruptedReason, cleanup.Token).ConfigureAwait(false);
            await context.Error.WriteLineAsync($"suite {suiteId} cancelled on the server").ConfigureAwait(false);
            if (junitPath is not null)
            {
                await WriteJUnitAsync(context.Client, suiteId, junitPath, cleanup.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is HttpRequestException or FaultInjectionApiException or OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"faultctl: suite {suiteId} could not be cancelled ({OneLine.Of(e.Message)}); its drills end at their own timeouts").ConfigureAwait(false);
        }
    }
}
