using System.Security.Claims;
using System.Text.Encodings.Web;
using FaultAgent.Grpc;
using FaultAgent.Limits;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FaultAgent.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> against the token file, or (<c>Agent:AuthMode=TokenReview</c>) a Kubernetes
/// ServiceAccount token reviewed by the API server (<see cref="ServiceAccountTokenAuthenticator"/>), for gRPC and HTTP alike. The caller recorded with each
/// fault is the token's name, followed by <c>/&lt;x-fault-caller&gt;</c> when the token holder names the person it acts for.
/// A refused gRPC call gets status UNAUTHENTICATED with the reason; a refused HTTP request gets a 401 problem details.
/// </summary>
public sealed class BearerTokenAuthenticationHandler(
    IOptionsMonitor<BearerTokenAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BearerTokenStore tokenStore,
    ServiceAccountTokenAuthenticator serviceAccounts,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<BearerTokenAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    private const int MaxOnBehalfOfLength = 128;

    /// <summary>Set when the token was refused without a review because a limit on reviews was reached: answered 429 / RESOURCE_EXHAUSTED.</summary>
    private static readonly object RetryAfterItem = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadOnBehalfOf(out var onBehalfOf, out var onBehalfOfProblem))
        {
            return AuthenticateResult.Fail(onBehalfOfProblem);
        }

        if (Options.AllowUnauthenticated)
        {
            return Success("anonymous", onBehalfOf);
        }

        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.Fail("Missing credentials: send 'authorization: Bearer <token>'.");
        }

        const string Prefix = "Bearer ";
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || header.Length == Prefix.Length)
        {
            return AuthenticateResult.Fail("The authorization header must be 'Bearer <token>'.");
        }

        var token = header[Prefix.Length..].Trim();
        if (Options.Mode == AgentAuthMode.TokenReview)
        {
            var reviewed = await serviceAccounts.AuthenticateAsync(token, Context.Connection.RemoteIpAddress, Context.RequestAborted).ConfigureAwait(false);
            if (reviewed.RetryAfter is { } retryAfter)
            {
                Context.Items[RetryAfterItem] = retryAfter;
            }

            return reviewed.Name is null ? AuthenticateResult.Fail(reviewed.Problem) : Success(reviewed.Name, onBehalfOf);
        }

        var name = tokenStore.Authenticate(token);
        return name is null ? AuthenticateResult.Fail("The bearer token is not accepted.") : Success(name, onBehalfOf);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var reason = result.Failure?.Message ?? "Authentication is required.";
        if (Context.Items.TryGetValue(RetryAfterItem, out var item) && item is TimeSpan retryAfter)
        {
            await LimitedAsync(reason, retryAfter).ConfigureAwait(false);
            return;
        }

        Response.Headers.WWWAuthenticate = SchemeName;
        if (IsGrpc(Request))
        {
            // A trailers-only gRPC response: the client sees UNAUTHENTICATED and the reason, not a bare HTTP 401.
            GrpcTrailersOnlyStatus.WriteUnauthenticated(Response, reason);
            return;
        }

        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthenticated", reason, retryAfterSeconds: null).ConfigureAwait(false);
    }

    /// <summary>
    /// A token refused without a review (a limit on reviews): HTTP 429 problem details or gRPC RESOURCE_EXHAUSTED
    /// (trailers-only, with <c>RetryInfo</c>), both with <c>Retry-After</c> in whole seconds.
    /// </summary>
    private async Task LimitedAsync(string reason, TimeSpan retryAfter)
    {
        var seconds = RetryDelay.WholeSeconds(retryAfter);
        Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (IsGrpc(Request))
        {
            GrpcTrailersOnlyStatus.WriteResourceExhausted(Response, reason, seconds);
            return;
        }

        await WriteProblemAsync(StatusCodes.Status429TooManyRequests, "Too many token reviews", reason, seconds).ConfigureAwait(false);
    }

    private async Task WriteProblemAsync(int statusCode, string title, string reason, long? retryAfterSeconds)
    {
        Response.StatusCode = statusCode;
        var problem = new ProblemDetails { Status = statusCode, Title = title, Detail = reason };
        if (retryAfterSeconds is { } seconds)
        {
            problem.Extensions["retry_after_seconds"] = seconds;
        }

        await problemDetails.WriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem }).ConfigureAwait(false);
    }

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    private static AuthenticateResult Success(string tokenName, string? onBehalfOf)
    {
        var caller = onBehalfOf is null ? tokenName : $"{tokenName}/{onBehalfOf}";
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, caller),
                new Claim(FaultCallerClaims.TokenName, tokenName),
                new Claim(FaultCallerClaims.Caller, caller),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private bool TryReadOnBehalfOf(out string? onBehalfOf, out string problem)
    {
        onBehalfOf = null;
        problem = "";
        string? value = Request.Headers[FaultCallerClaims.OnBehalfOfHeader];
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (value.Length > MaxOnBehalfOfLength || value.Any(c => c is < ' ' or > '~'))
        {
            problem = $"{FaultCallerClaims.OnBehalfOfHeader} must be 1 to {MaxOnBehalfOfLength} printable ASCII characters.";
            return false;
        }

        onBehalfOf = value;
        return true;
    }
}
