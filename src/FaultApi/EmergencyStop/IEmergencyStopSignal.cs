namespace FaultApi.EmergencyStop;

/// <summary>
/// The emergency stop as other features see it (resolve it from DI): the current state, a token that is cancelled when a
/// stop is engaged (take it when a drill starts and link it to the drill's work; after a release a new token is handed out),
/// and a check that throws the 423 problem.
/// </summary>
public interface IEmergencyStopSignal
{
    StopState Current { get; }

    /// <summary>Cancelled when a stop is engaged; already cancelled while one is.</summary>
    CancellationToken StoppedToken { get; }

    /// <summary>Throws <see cref="Problems.ApiProblemException"/> 423 (who, when, why) while the stop is engaged.</summary>
    void ThrowIfEngaged();
}
