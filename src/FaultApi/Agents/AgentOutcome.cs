using FaultApi.Routing;

namespace FaultApi.Agents;

/// <summary>One agent's answer in a gathering call: its response, or the error it gave.</summary>
public sealed record AgentOutcome<TResponse>(AgentEndpoint Agent, TResponse? Response, NodeError? Error);
