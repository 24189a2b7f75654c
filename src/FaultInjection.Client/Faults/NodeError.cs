namespace FaultInjection.Client.Faults;

/// <summary>A node whose agent could not answer a gathering call, listed next to the other nodes' results.</summary>
public sealed class NodeError
{
    public string NodeName { get; init; } = "";

    public int Status { get; init; }

    public string? GrpcStatus { get; init; }

    public string Message { get; init; } = "";
}
