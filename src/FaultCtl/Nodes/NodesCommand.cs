using System.CommandLine;
using System.Globalization;
using FaultCtl.Hosting;
using FaultCtl.Output;

namespace FaultCtl.Nodes;

/// <summary><c>faultctl nodes</c>: the GPU nodes that have an agent (<c>GET /api/v1/nodes</c>).</summary>
public static class NodesCommand
{
    /// <summary>The <c>nodes</c> command.</summary>
    public static Command Create(CommandActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var command = new Command("nodes", "List the GPU nodes that have an agent: driver, line form, GPUs (MIG instances), NVSwitches, labels.");
        actions.Set(command, async (context, _, cancellationToken) =>
        {
            var nodes = await context.Client.ListNodesAsync(cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, nodes, CliJsonContext.Default.NodeList);
                return ExitCodes.Success;
            }

            var table = new Table("NODE", "DRIVER", "FORM", "GPUS", "MIG", "NVSWITCHES", "LABELS");
            foreach (var node in nodes.Nodes)
            {
                var mig = node.Gpus
                    .Where(g => g.MigInstances.Count > 0)
                    .Select(g => string.Create(CultureInfo.InvariantCulture, $"gpu{g.GpuId}:{string.Join('/', g.MigInstances.Select(m => $"{m.GpuInstance}({string.Join(',', m.ComputeInstances)})"))}"));
                table.Add(
                    node.NodeName,
                    node.DriverVersion,
                    node.LineForm,
                    string.Create(CultureInfo.InvariantCulture, $"{node.Gpus.Count} {string.Join(',', node.Gpus.Select(g => g.Model).Distinct(StringComparer.Ordinal))}"),
                    string.Join(' ', mig),
                    node.Nvswitches.Count.ToString(CultureInfo.InvariantCulture),
                    string.Join(',', node.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
            }

            table.WriteTo(context.Output);
            NodeErrorWarnings.Write(context, nodes.Errors);
            return ExitCodes.Success;
        });
        return command;
    }
}
