using FaultCtl.Hosting;
using FaultInjection.Client.Faults;

namespace FaultCtl.Output;

/// <summary>Nodes whose agents did not answer a gathering call: one warning line each on stderr (the exit code stays 0).</summary>
public static class NodeErrorWarnings
{
    /// <summary>Warns once per node in <paramref name="errors"/> (table output only: JSON carries them in <c>errors</c>).</summary>
    public static void Write(CommandContext context, IEnumerable<NodeError> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(errors);
        if (context.Json)
        {
            return;
        }

        foreach (var error in errors)
        {
            context.Warn($"{error.NodeName} did not answer: {error.Status} {error.GrpcStatus} {error.Message}");
        }
    }
}
