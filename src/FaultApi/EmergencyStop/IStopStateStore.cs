namespace FaultApi.EmergencyStop;

/// <summary>Where the stop state lives so every API replica sees it and it survives restarts (a ConfigMap, or a file in static mode).</summary>
public interface IStopStateStore
{
    /// <summary>The stored state; null when none was ever stored.</summary>
    Task<StopState?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="state"/> unless a state with a higher version is already stored; returns the stored state.</summary>
    Task<StopState> WriteAsync(StopState state, CancellationToken cancellationToken);
}
