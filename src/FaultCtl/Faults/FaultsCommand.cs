using System.CommandLine;
using FaultCtl.Hosting;
using FaultCtl.Output;

namespace FaultCtl.Faults;

/// <summary><c>faultctl faults [id]</c>: <c>GET /api/v1/faults</c> (every node's records) or one fault.</summary>
public static class FaultsCommand
{
    /// <summary>The <c>faults</c> command.</summary>
    public static Command Create(CommandActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var id = new Argument<string?>("fault-id") { Description = "Show this fault only.", Arity = ArgumentArity.ZeroOrOne };
        var active = new Option<bool>("--active") { Description = "Only active faults." };
        var node = new Option<string?>("--node", "-n") { Description = "Only this node's faults (with an id: where to look).", HelpName = "node" };
        var command = new Command("faults", "List the faults recorded by every node's agent (or one node's), or show one fault.") { id, active, node };
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var faultId = parse.GetValue(id);
            if (faultId is not null)
            {
                var fault = await context.Client.GetFaultAsync(faultId, parse.GetValue(node), cancellationToken).ConfigureAwait(false);
                if (context.Json)
                {
                    JsonOutput.Write(context.Output, fault, CliJsonContext.Default.Fault);
                }
                else
                {
                    FaultTable.WriteRecords(context.Output, [fault]);
                    context.Output.WriteLine();
                    context.Output.WriteLine(fault.Line);
                }

                return ExitCodes.Success;
            }

            var faults = await context.Client.ListFaultsAsync(parse.GetValue(active), parse.GetValue(node), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, faults, CliJsonContext.Default.FaultList);
                return ExitCodes.Success;
            }

            FaultTable.WriteRecords(context.Output, faults.Faults);
            NodeErrorWarnings.Write(context, faults.Errors);
            return ExitCodes.Success;
        });
        return command;
    }
}
