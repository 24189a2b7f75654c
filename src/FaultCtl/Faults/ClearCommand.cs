using System.CommandLine;
using FaultCtl.Hosting;
using FaultCtl.Output;
using FaultInjection.Client;
using FaultInjection.Client.Faults;

namespace FaultCtl.Faults;

/// <summary><c>faultctl clear id... | --all</c>: <c>DELETE /api/v1/faults/{id}</c> (the line stays in the kernel log; the record ends).</summary>
public static class ClearCommand
{
    /// <summary>The <c>clear</c> command.</summary>
    public static Command Create(CommandActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var ids = new Argument<string[]>("fault-id") { Description = "The faults to clear.", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Clear every active fault (of --node, else of every node)." };
        var node = new Option<string?>("--node", "-n") { Description = "The node the faults are on (default: the API asks every agent).", HelpName = "node" };
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the record and the audit trail).", HelpName = "text" };
        var command = new Command("clear", "Clear faults: their records end (the lines stay in the kernel log).") { ids, all, node, reason };
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var named = parse.GetValue(ids) ?? [];
            var clearAll = parse.GetValue(all);
            if (clearAll == (named.Length > 0))
            {
                throw new UsageException("Name the faults to clear, or give --all (not both).");
            }

            var targets = named.Select(id => (Id: id, Node: parse.GetValue(node))).ToList();
            if (clearAll)
            {
                var active = await context.Client.ListFaultsAsync(activeOnly: true, parse.GetValue(node), cancellationToken).ConfigureAwait(false);
                NodeErrorWarnings.Write(context, active.Errors);
                targets = [.. active.Faults.Select(f => (Id: f.FaultId, Node: (string?)f.NodeName))];
            }

            var cleared = new List<Fault>();
            FaultInjectionApiException? firstError = null;
            foreach (var (id, on) in targets)
            {
                try
                {
                    cleared.Add(await context.Client.ClearFaultAsync(id, on, parse.GetValue(reason), cancellationToken).ConfigureAwait(false));
                }
                catch (FaultInjectionApiException e) when (targets.Count > 1)
                {
                    // Clear the others anyway; the first refusal decides the exit code.
                    context.Error.WriteLine($"faultctl: {id}: {ProblemLine.Of(e)}");
                    firstError ??= e;
                }
            }

            if (context.Json)
            {
                JsonOutput.Write(context.Output, cleared, CliJsonContext.Default.ListFault);
            }
            else if (cleared.Count > 0)
            {
                FaultTable.WriteRecords(context.Output, cleared);
            }
            else
            {
                context.Error.WriteLine("no active fault to clear");
            }

            return firstError is null ? ExitCodes.Success : ExitCodes.ApiError;
        });
        return command;
    }
}
