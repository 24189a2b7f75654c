namespace FaultAgent.Registry;

/// <summary>A fault_id or idempotency key already names a fault that was injected by a different request.</summary>
public sealed class FaultRequestConflictException : Exception
{
    public FaultRequestConflictException()
    {
    }

    public FaultRequestConflictException(string message)
        : base(message)
    {
    }

    public FaultRequestConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The request field that collided: <c>fault_id</c> or <c>idempotency_key</c>.</summary>
    public string Field { get; init; } = "";

    public string ExistingFaultId { get; init; } = "";
}
