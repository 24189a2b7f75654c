using Microsoft.Extensions.Hosting;

namespace FaultApi.Auth;

/// <summary>
/// Reads the callers' tokens when the API starts (the file was validated just before), so they are the last good set
/// from the first moment: a bad edit made before anyone called still leaves them in force.
/// </summary>
public sealed class CallerTokensAtStart(CallerTokenStore tokens) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        tokens.Load();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
