using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultApi.Faults;

/// <summary>Sends one node's injection request (Xid or SXid) with the given call options.</summary>
public delegate AsyncUnaryCall<InjectResponse> InjectRequestFactory(FaultInjection.Agent.V1.FaultAgent.FaultAgentClient client, CallOptions options);
