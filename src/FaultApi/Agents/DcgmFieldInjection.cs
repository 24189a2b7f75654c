using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultApi.Agents;

/// <summary>A DCGM field value injected through the node's host engine: the agent's <c>InjectDcgmField</c>.</summary>
public sealed class DcgmFieldInjection(DcgmInjectFieldRequest request) : AgentInjection
{
    public override string Operation => nameof(AgentClient.InjectDcgmField);

    public override AgentInjection ForNode(string faultId, string idempotencyKey)
    {
        var addressed = request.Clone();
        addressed.FaultId = faultId;
        addressed.IdempotencyKey = idempotencyKey;
        return new DcgmFieldInjection(addressed);
    }

    internal override AsyncUnaryCall<InjectResponse> Send(AgentClient client, CallOptions options) => client.InjectDcgmFieldAsync(request, options);
}
