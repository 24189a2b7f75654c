using Microsoft.AspNetCore.Authentication;

namespace FaultAgent.Auth;

public sealed class BearerTokenAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Accept every request as <c>anonymous</c> (Agent:AllowUnauthenticated; loopback-only endpoints).</summary>
    public bool AllowUnauthenticated { get; set; }
}
