namespace FaultApi.EmergencyStop;

/// <summary>
/// Told when this replica learns that the emergency stop is engaged (engaged here, or seen in the cluster store or on an
/// agent by the reconciler). Register with <c>services.AddSingleton&lt;IEmergencyStopListener, MyListener&gt;()</c>; e.g. the
/// drills feature cancels its running drills. Called once per engaged version; an exception is logged and ignored.
/// Returns what it did to each drill or suite it attempted (every one, a failure named in its outcome, not thrown):
/// the stop engaged here answers with them (<see cref="StopResource.Cancellations"/>).
/// </summary>
public interface IEmergencyStopListener
{
    Task<IReadOnlyList<StopCancellationOutcome>> OnEmergencyStopAsync(StopState state, CancellationToken cancellationToken);
}
