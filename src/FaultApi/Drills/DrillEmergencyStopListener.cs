using FaultApi.EmergencyStop;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Drills;

/// <summary>
/// An engaged emergency stop cancels every running drill in the cluster, naming who stopped it and why.
/// <see cref="DrillService"/> is resolved when a stop arrives, not at construction: it injects through the
/// <c>FaultInjector</c>, which itself consults the stop coordinator that holds this listener.
/// </summary>
public sealed class DrillEmergencyStopListener(IServiceProvider services) : IEmergencyStopListener
{
    public async Task OnEmergencyStopAsync(StopState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var drills = services.GetRequiredService<DrillService>();
        if (drills.Enabled)
        {
            await drills.CancelAllAsync($"emergency stop by {state.ChangedBy}: {state.Reason}", cancellationToken).ConfigureAwait(false);
        }
    }
}
