using FaultApi.Problems;

namespace FaultApi.Agents;

/// <summary>A node whose agent could not answer a gathering call, reported next to the other nodes' results.</summary>
public sealed record NodeError(string NodeName, int Status, string? GrpcStatus, string Message)
{
    public static NodeError From(string nodeName, ApiProblemException problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new NodeError(nodeName, problem.Status, problem.Extensions.TryGetValue("grpc_status", out var g) ? g as string : null, problem.Message);
    }
}
