using System.Security.Claims;

namespace FaultAgent.Auth;

/// <summary>The claims the bearer-token handler sets, and how the services read who is calling.</summary>
public static class FaultCallerClaims
{
    /// <summary>The metadata / header a trusted caller (the FaultApi) uses to name the person it acts for.</summary>
    public const string OnBehalfOfHeader = "x-fault-caller";

    /// <summary>The token's name.</summary>
    public const string TokenName = "fault_token_name";

    /// <summary>What a fault's <c>caller</c> records: <c>&lt;token-name&gt;</c> or <c>&lt;token-name&gt;/&lt;x-fault-caller&gt;</c>.</summary>
    public const string Caller = "fault_caller";

    public static string GetFaultCaller(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirst(Caller)?.Value ?? "unknown";
    }
}
