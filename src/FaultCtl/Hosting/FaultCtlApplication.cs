using System.CommandLine;
using System.CommandLine.Invocation;
using FaultCtl.BugReports;
using FaultCtl.Drills;
using FaultCtl.EmergencyStop;
using FaultCtl.Faults;
using FaultCtl.Nodes;
using FaultCtl.Suites;
using FaultCtl.Xids;

namespace FaultCtl.Hosting;

/// <summary>faultctl's command tree, and one run of it: parse, report usage errors as such, invoke.</summary>
public static class FaultCtlApplication
{
    /// <summary>How long a command gets to clean up after Ctrl-C/SIGTERM (a followed drill is cancelled on the server, at most 10 s).</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(15);

    /// <summary>The root command with every command, each talking through clients made by <paramref name="clientFactory"/>.</summary>
    public static RootCommand CreateRootCommand(ClientFactory clientFactory)
    {
        var actions = new CommandActions(clientFactory);
        var root = new RootCommand(
            "faultctl: inject NVIDIA Xid/SXid faults through the FaultApi, list and clear them, run drills and suites, stop everything.\n" +
            "The API's address comes from --api or $FAULT_INJECTION_API (default http://localhost:8080), the token from $FAULT_INJECTION_TOKEN.\n" +
            "Exit codes: 0 done, 1 a failed outcome (drill or suite failed/cancelled, bug report failed), 2 usage, 3 the API's problem details, 4 API unreachable, 130 interrupted.")
        {
            GlobalOptions.Api,
            GlobalOptions.Output,
            NodesCommand.Create(actions),
            InjectCommand.Create(actions),
            FaultsCommand.Create(actions),
            ClearCommand.Create(actions),
            DrillCommand.Create(actions),
            SuiteCommand.Create(actions),
            StopCommand.Create(actions),
            ReleaseCommand.Create(actions),
            BugReportCommand.Create(actions),
            XidTypesCommand.Create(actions),
        };
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, ClientFactory clientFactory, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var parseResult = CreateRootCommand(clientFactory).Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"faultctl: {Output.OneLine.Of(parseError.Message)}").ConfigureAwait(false);
            }

            await error.WriteLineAsync($"Run 'faultctl {string.Join(' ', CommandPath(parseResult.CommandResult.Command, parseResult.RootCommandResult.Command))}{(parseResult.CommandResult.Command is RootCommand ? "" : " ")}--help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = TerminationGrace,
        };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    private static Stack<string> CommandPath(Command command, Command root)
    {
        var path = new Stack<string>();
        for (var current = command; current is not null && current != root; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            path.Push(current.Name);
        }

        return path;
    }
}
