using FaultApi.EmergencyStop;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Suites;

/// <summary>
/// An engaged emergency stop cancels every running suite in the cluster (their running drills cancelled, faults cleared),
/// naming who stopped it and why. <see cref="SuiteService"/> is resolved when a stop arrives: it depends on the stop
/// coordinator that holds this listener.
/// </summary>
public sealed class SuiteEmergencyStopListener(IServiceProvider services) : IEmergencyStopListener
{
    public async Task OnEmergencyStopAsync(StopState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var suites = services.GetRequiredService<SuiteService>();
        if (suites.Enabled)
        {
            await suites.CancelAllAsync($"emergency stop by {state.ChangedBy}: {state.Reason}", cancellationToken).ConfigureAwait(false);
        }
    }
}
