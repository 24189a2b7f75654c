using System.Globalization;
using FaultCtl.Faults;
using FaultCtl.Hosting;
using FaultCtl.Output;
using FaultInjection.Client.EmergencyStop;

namespace FaultCtl.EmergencyStop;

/// <summary>The emergency stop's state and each agent's acknowledgement.</summary>
public static class StopOutput
{
    /// <summary>Writes <paramref name="status"/>: one line for the state, then one row per agent.</summary>
    public static int Write(CommandContext context, StopStatus status)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(status);
        if (context.Json)
        {
            JsonOutput.Write(context.Output, status, CliJsonContext.Default.StopStatus);
            return ExitCodes.Success;
        }

        context.Output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"emergency stop {(status.Engaged ? "ENGAGED" : "released")} by {OneLine.Of(status.ChangedBy)} at {FaultTable.Time(status.ChangedAt) ?? "-"}: {OneLine.Of(status.Reason)} (version {status.Version})"));
        var table = new Table("NODE", "ACKNOWLEDGED", "ENGAGED", "VERSION", "ERROR");
        foreach (var agent in status.Agents)
        {
            table.Add(
                agent.NodeName,
                agent.Acknowledged ? "yes" : "no",
                agent.Engaged switch { true => "yes", false => "no", null => null },
                agent.Version?.ToString(CultureInfo.InvariantCulture),
                agent.Error);
        }

        table.WriteTo(context.Output);
        foreach (var agent in status.Agents.Where(a => !a.Acknowledged))
        {
            context.Warn($"{agent.NodeName} does not hold this state yet: {agent.Error}");
        }

        return ExitCodes.Success;
    }
}
