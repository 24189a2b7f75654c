namespace FaultAgent.Registry;

/// <summary>No fault with that id is recorded on this node (never injected, or pruned).</summary>
public sealed class FaultNotFoundException : Exception
{
    public FaultNotFoundException()
    {
    }

    public FaultNotFoundException(string message)
        : base(message)
    {
    }

    public FaultNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string FaultId { get; init; } = "";
}
