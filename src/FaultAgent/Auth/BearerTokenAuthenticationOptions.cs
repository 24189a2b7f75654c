using Microsoft.AspNetCore.Authentication;

namespace FaultAgent.Auth;

public sealed class BearerTokenAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Accept every request as <c>anonymous</c> (Agent:AllowUnauthenticated; loopback-only endpoints).</summary>
    public bool AllowUnauthenticated { get; set; }

    /// <summary>Token file or ServiceAccount tokens reviewed by the Kubernetes API (Agent:AuthMode).</summary>
    public AgentAuthMode Mode { get; set; }
}
