namespace FaultInjection.Client.Health;

/// <summary>The answer of <c>/health</c> (<c>healthy</c>) and <c>/ready</c> (<c>ready</c>, with the number of routable agents).</summary>
public sealed class HealthStatus
{
    public string Status { get; init; } = "";

    public int? Agents { get; init; }
}
