using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultApi.Agents;

/// <summary>An Xid written into a GPU node's kernel log (and its other surfaces): the agent's <c>InjectXid</c>.</summary>
public sealed class XidInjection(InjectXidRequest request) : AgentInjection
{
    public override string Operation => nameof(AgentClient.InjectXid);

    public override AgentInjection ForNode(string faultId, string idempotencyKey)
    {
        var addressed = request.Clone();
        addressed.FaultId = faultId;
        addressed.IdempotencyKey = idempotencyKey;
        return new XidInjection(addressed);
    }

    internal override AsyncUnaryCall<InjectResponse> Send(AgentClient client, CallOptions options) => client.InjectXidAsync(request, options);
}
