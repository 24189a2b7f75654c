using FaultApi.EmergencyStop;

namespace FaultApi.Drills;

/// <summary>
/// An engaged emergency stop cancels every running drill in the cluster, naming who stopped it and why. It holds
/// <see cref="DrillCancellation"/>, which injects nothing: the stop coordinator that calls it is itself consulted by
/// every injection, drills' included, without a cycle between them.
/// </summary>
public sealed class DrillEmergencyStopListener(DrillCancellation drills) : IEmergencyStopListener
{
    public async Task<IReadOnlyList<StopCancellationOutcome>> OnEmergencyStopAsync(StopState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return drills.Enabled ? await drills.CancelAllAsync($"emergency stop by {state.ChangedBy}: {state.Reason}", cancellationToken).ConfigureAwait(false) : [];
    }
}
