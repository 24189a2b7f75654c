namespace FaultApi.Health;

/// <summary>The answer of <c>/health</c> and <c>/ready</c>.</summary>
public sealed record HealthResource(string Status, int? Agents = null);
