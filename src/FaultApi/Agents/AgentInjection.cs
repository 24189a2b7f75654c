using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultApi.Agents;

/// <summary>
/// One injection as the agents take it (<see cref="XidInjection"/>, <see cref="SxidInjection"/>,
/// <see cref="DcgmFieldInjection"/>): the request every target node gets, addressed to one node by
/// <see cref="ForNode"/> (its fault id and idempotency key), and sent by <see cref="AgentGateway.InjectAsync"/>.
/// </summary>
public abstract class AgentInjection
{
    /// <summary>The agent's gRPC method, the <c>operation</c> label of the agent-call metric.</summary>
    public abstract string Operation { get; }

    /// <summary>This injection for one node: its fault id and its idempotency key (the same on every retry).</summary>
    public abstract AgentInjection ForNode(string faultId, string idempotencyKey);

    internal abstract AsyncUnaryCall<InjectResponse> Send(AgentClient client, CallOptions options);
}
