namespace FaultAgent.Auth;

/// <summary>The <c>Status</c> the Kubernetes API answers a refused request with: its <c>reason</c> and <c>message</c>.</summary>
public sealed class KubernetesStatusDocument
{
    public string? Reason { get; set; }

    public string? Message { get; set; }
}
