using System.Security.Claims;
using System.Text.Encodings.Web;
using FaultApi.Faults;
using FaultApi.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Auth;

/// <summary>Authenticates <c>Authorization: Bearer &lt;token&gt;</c> against <see cref="CallerTokenStore"/>; a challenge is a 401 problem.</summary>
public sealed class BearerTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CallerTokenStore tokens,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string FailureKey = "fault-api.auth-failure";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        InjectionProfile.Lap(InjectionPhase.Pipeline);
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Fail("The request has no 'Authorization: Bearer <token>' header.");
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return Fail("The Authorization header is not 'Bearer <token>'.");
        }

        string? name;
        try
        {
            name = tokens.Authenticate(header[7..].Trim());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TokenFileFormatException)
        {
            return Fail($"The API cannot read its token file: {ex.Message}");
        }

        if (name is null)
        {
            return Fail("The bearer token is not valid.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName);
        var result = Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        InjectionProfile.Lap(InjectionPhase.Authentication);
        return result;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = Context.Items.TryGetValue(FailureKey, out var failure) && failure is string text
            ? text
            : "The request needs 'Authorization: Bearer <token>'.";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 401, Title = AgentProblems.TitleFor(401), Detail = detail, Type = "https://tools.ietf.org/html/rfc9110#section-15.5.2" },
        }).ConfigureAwait(false);
    }

    private Task<AuthenticateResult> Fail(string message)
    {
        Context.Items[FailureKey] = message;
        return Task.FromResult(AuthenticateResult.Fail(message));
    }
}
