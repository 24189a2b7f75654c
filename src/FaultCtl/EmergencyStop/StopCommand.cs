using System.CommandLine;
using FaultCtl.Hosting;

namespace FaultCtl.EmergencyStop;

/// <summary><c>faultctl stop --reason R</c> (<c>POST /api/v1/stop</c>) and <c>faultctl stop --show</c> (<c>GET /api/v1/stop</c>).</summary>
public static class StopCommand
{
    /// <summary>The <c>stop</c> command.</summary>
    public static Command Create(CommandActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var reason = new Option<string?>("--reason", "-r") { Description = "Why (required to engage; kept and shown with every refusal).", HelpName = "text" };
        var show = new Option<bool>("--show") { Description = "Show the state and each agent's acknowledgement; change nothing." };
        var command = new Command("stop", "Emergency stop: refuse every injection in the cluster and expire every active fault, until 'faultctl release'.") { reason, show };
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var why = parse.GetValue(reason);
            if (parse.GetValue(show))
            {
                if (why is not null)
                {
                    throw new UsageException("--show changes nothing: it takes no --reason.");
                }

                return StopOutput.Write(context, await context.Client.GetStopAsync(cancellationToken).ConfigureAwait(false));
            }

            if (string.IsNullOrWhiteSpace(why))
            {
                throw new UsageException("An emergency stop needs --reason <text> (or --show to see the state).");
            }

            return StopOutput.Write(context, await context.Client.EngageStopAsync(why, cancellationToken).ConfigureAwait(false));
        });
        return command;
    }
}
