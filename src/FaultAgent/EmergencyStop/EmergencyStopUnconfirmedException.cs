namespace FaultAgent.EmergencyStop;

/// <summary>
/// An injection refused because no API has confirmed the stop state this agent holds since its start (gRPC
/// FAILED_PRECONDITION + ErrorInfo EMERGENCY_STOP_UNCONFIRMED; HTTP 423). An agent that has just started cannot know
/// whether a stop was engaged while it was down, as one whose state file cannot be read cannot; a SetEmergencyStop after
/// which it holds exactly the pushed state confirms it. Nothing was written.
/// </summary>
public sealed class EmergencyStopUnconfirmedException : Exception
{
    public EmergencyStopUnconfirmedException(EmergencyStopState state)
        : base(MessageFor(state ?? throw new ArgumentNullException(nameof(state))))
    {
        State = state;
    }

    public EmergencyStopUnconfirmedException()
        : this(EmergencyStopState.Released)
    {
    }

    public EmergencyStopUnconfirmedException(string message)
        : base(message)
    {
        State = EmergencyStopState.Released;
    }

    public EmergencyStopUnconfirmedException(string message, Exception innerException)
        : base(message, innerException)
    {
        State = EmergencyStopState.Released;
    }

    /// <summary>The (released) state the agent holds, unconfirmed.</summary>
    public EmergencyStopState State { get; }

    private static string MessageFor(EmergencyStopState state) =>
        $"The emergency stop state of this agent (released, version {state.Version}) is not confirmed by an API since the agent started: "
        + "a stop engaged while it was down would not be known here yet. Real injections are refused until an API pushes the cluster's "
        + "state (SetEmergencyStop; the API does so on its next reconcile pass, or before retrying an injection through it); nothing was written.";
}
