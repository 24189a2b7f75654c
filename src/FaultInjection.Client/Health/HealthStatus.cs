namespace FaultInjection.Client.Health;

/// <summary>The answer of <c>/health</c> (<c>healthy</c>) and <c>/ready</c> (<c>ready</c>, with the number of routable agents).</summary>
public sealed class HealthStatus
{
    /// <summary><c>ready</c> or <c>healthy</c> when all is well, else what is not.</summary>
    public string Status { get; init; } = "";

    /// <summary>How many agents the API can reach (readiness only).</summary>
    public int? Agents { get; init; }
}
