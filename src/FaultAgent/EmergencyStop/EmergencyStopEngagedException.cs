namespace FaultAgent.EmergencyStop;

/// <summary>An injection refused because the emergency stop is engaged (gRPC FAILED_PRECONDITION + ErrorInfo EMERGENCY_STOP; HTTP 423).</summary>
public sealed class EmergencyStopEngagedException : Exception
{
    public EmergencyStopEngagedException(EmergencyStopState state)
        : base(MessageFor(state ?? throw new ArgumentNullException(nameof(state))))
    {
        State = state;
    }

    public EmergencyStopEngagedException()
        : this(EmergencyStopState.Released)
    {
    }

    public EmergencyStopEngagedException(string message)
        : base(message)
    {
        State = EmergencyStopState.Released;
    }

    public EmergencyStopEngagedException(string message, Exception innerException)
        : base(message, innerException)
    {
        State = EmergencyStopState.Released;
    }

    public EmergencyStopState State { get; }

    private static string MessageFor(EmergencyStopState state) =>
        $"Emergency stop engaged by {state.ChangedBy} at {state.ChangedAt:O}" + (string.IsNullOrEmpty(state.Reason) ? "" : $": {state.Reason}")
        + ". Every injection is refused until it is released (DELETE /api/v1/stop); nothing was written.";
}
