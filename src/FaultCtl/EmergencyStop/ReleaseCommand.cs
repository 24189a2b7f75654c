using System.CommandLine;
using FaultCtl.Hosting;

namespace FaultCtl.EmergencyStop;

/// <summary><c>faultctl release [--reason R]</c>: <c>DELETE /api/v1/stop</c>.</summary>
public static class ReleaseCommand
{
    /// <summary>The <c>release</c> command.</summary>
    public static Command Create(CommandActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var reason = new Option<string?>("--reason", "-r") { Description = "Why (kept in the audit trail).", HelpName = "text" };
        var command = new Command("release", "Release the emergency stop: injections are accepted again.") { reason };
        actions.Set(command, async (context, parse, cancellationToken) =>
            StopOutput.Write(context, await context.Client.ReleaseStopAsync(parse.GetValue(reason), cancellationToken).ConfigureAwait(false)));
        return command;
    }
}
