using FaultApi.EmergencyStop;

namespace FaultApi.Suites;

/// <summary>
/// An engaged emergency stop cancels every running suite in the cluster (their running drills cancelled, faults cleared),
/// naming who stopped it and why. It holds <see cref="SuiteCancellation"/>, which injects nothing, so the stop
/// coordinator that holds this listener has no way back to itself.
/// </summary>
public sealed class SuiteEmergencyStopListener(SuiteCancellation suites) : IEmergencyStopListener
{
    public async Task<IReadOnlyList<StopCancellationOutcome>> OnEmergencyStopAsync(StopState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return await suites.CancelAllAsync($"emergency stop by {state.ChangedBy}: {state.Reason}", cancellationToken).ConfigureAwait(false);
    }
}
