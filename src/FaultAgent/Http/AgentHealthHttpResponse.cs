namespace FaultAgent.Http;

public sealed record AgentHealthHttpResponse(string Status, string NodeName);
