using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultApi.Agents;

/// <summary>An NVSwitch SXid written into a node's kernel log (and its other surfaces): the agent's <c>InjectSxid</c>.</summary>
public sealed class SxidInjection(InjectSxidRequest request) : AgentInjection
{
    public override string Operation => nameof(AgentClient.InjectSxid);

    public override AgentInjection ForNode(string faultId, string idempotencyKey)
    {
        var addressed = request.Clone();
        addressed.FaultId = faultId;
        addressed.IdempotencyKey = idempotencyKey;
        return new SxidInjection(addressed);
    }

    internal override AsyncUnaryCall<InjectResponse> Send(AgentClient client, CallOptions options) => client.InjectSxidAsync(request, options);
}
