using System.CommandLine;
using System.Net.Sockets;
using System.Text.Json;
using FaultCtl.Output;
using FaultInjection.Client;

namespace FaultCtl.Hosting;

/// <summary>
/// Runs a command's action with its <see cref="CommandContext"/> and turns every failure into ONE line on stderr and
/// its exit code: problem details (<see cref="ExitCodes.ApiError"/>), an unreachable API (<see cref="ExitCodes.Unreachable"/>),
/// a contradicting command line (<see cref="ExitCodes.Usage"/>), a failed outcome (<see cref="ExitCodes.Failed"/>), an interruption.
/// </summary>
public sealed class CommandActions(ClientFactory clientFactory)
{
    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="action"/>, run through <see cref="RunAsync"/>.</summary>
    public void Set(Command command, Func<CommandContext, ParseResult, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, action, cancellationToken));
    }

    /// <summary>Runs <paramref name="action"/> and maps its failures to exit codes.</summary>
    public async Task<int> RunAsync(ParseResult parseResult, Func<CommandContext, ParseResult, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(action);
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        FaultInjectionClient client;
        try
        {
            client = clientFactory(parseResult.GetValue(GlobalOptions.Api));
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"faultctl: {OneLine.Of(e.Message)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using (client)
        {
            var context = new CommandContext(client, parseResult.GetValue(GlobalOptions.Output), output, error);
            try
            {
                return await action(context, parseResult, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("faultctl: interrupted").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }
            catch (FaultInjectionApiException e)
            {
                await error.WriteLineAsync($"faultctl: {ProblemLine.Of(e)}").ConfigureAwait(false);
                return ExitCodes.ApiError;
            }
            catch (UsageException e)
            {
                await error.WriteLineAsync($"faultctl: {OneLine.Of(e.Message)}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (OutcomeException e)
            {
                await error.WriteLineAsync($"faultctl: {OneLine.Of(e.Message)}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException && e is not HttpIOException)
            {
                await error.WriteLineAsync($"faultctl: {OneLine.Of(e.Message)}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            catch (Exception e) when (e is HttpRequestException or HttpIOException or TaskCanceledException or SocketException or JsonException)
            {
                var what = e is TaskCanceledException ? "timed out" : e is JsonException ? "answered something that is not the FaultApi's JSON" : OneLine.Of(e.Message);
                await error.WriteLineAsync($"faultctl: cannot use the FaultApi at {client.BaseAddress}: {what}").ConfigureAwait(false);
                return ExitCodes.Unreachable;
            }
        }
    }
}
