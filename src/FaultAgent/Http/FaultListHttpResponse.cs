namespace FaultAgent.Http;

public sealed record FaultListHttpResponse(string NodeName, IReadOnlyList<FaultResource> Faults);
