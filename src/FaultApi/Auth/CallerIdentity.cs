using System.Security.Claims;

namespace FaultApi.Auth;

/// <summary>The authenticated caller's name, as recorded in each fault.</summary>
public static class CallerIdentity
{
    public static string NameOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.Name ?? throw new InvalidOperationException("The request is not authenticated.");
    }
}
