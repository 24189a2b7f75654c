namespace FaultInjection.Client.Faults;

/// <summary>A node whose agent could not answer a gathering call, listed next to the other nodes' results.</summary>
public sealed class NodeError
{
    /// <summary>The node whose agent failed.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>The HTTP status the API maps the failure to.</summary>
    public int Status { get; init; }

    /// <summary>The agent's gRPC status, when it answered.</summary>
    public string? GrpcStatus { get; init; }

    /// <summary>What went wrong.</summary>
    public string Message { get; init; } = "";
}
