using System.Collections.Concurrent;
using System.Security.Cryptography;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// TokenReviews on the fake API server, as the real one answers them (<c>POST /apis/authentication.k8s.io/v1/tokenreviews</c>):
/// the ServiceAccount tokens it issued (<see cref="IssueServiceAccountToken"/>) are authenticated, with
/// <c>status.user.username</c> <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>, the ServiceAccount groups, and
/// <c>status.audiences</c> the intersection of the token's and <c>spec.audiences</c> (the API server's own audience
/// when the spec names none); a token whose audiences do not intersect, an unknown or revoked token is not
/// authenticated, with the API server's error text. The caller of the review must present a token allowed to create
/// TokenReviews (<see cref="AllowTokenReviews"/>), else 403 Forbidden, as RBAC answers.
/// </summary>
public sealed partial class FakeKubeApiServer
{
    /// <summary>The API server's own audience: what an unbound token (the default ServiceAccount token) is for.</summary>
    public const string ApiServerAudience = "https://kubernetes.default.svc.cluster.local";

    private readonly ConcurrentDictionary<string, (string Username, string[] Audiences)> _serviceAccountTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _tokenReviewers = new(StringComparer.Ordinal);
    private TaskCompletionSource? _unknownTokenReviewsHeld;
    private int _heldTokenReviews;

    /// <summary>Every TokenReview received: the reviewed token, the audiences asked for, the answer.</summary>
    public ConcurrentQueue<(string Token, IReadOnlyList<string> Audiences, bool Authenticated)> TokenReviews { get; } = new();

    /// <summary>A new ServiceAccount token of <paramref name="ns"/>/<paramref name="name"/> bound to <paramref name="audiences"/> (the API server's audience when none).</summary>
    public string IssueServiceAccountToken(string ns, string name, params string[] audiences)
    {
        var token = "eyJ" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        _serviceAccountTokens[token] = ($"system:serviceaccount:{ns}:{name}", audiences.Length == 0 ? [ApiServerAudience] : audiences);
        return token;
    }

    /// <summary>The token stops authenticating (its pod was deleted, or it expired).</summary>
    public void RevokeToken(string token) => _serviceAccountTokens.TryRemove(token, out _);

    /// <summary>
    /// Holds every review of a token this server did not issue unanswered until <see cref="ReleaseUnknownTokenReviews"/>
    /// (or its caller gives up): a slow API server under a flood of bad tokens. Reviews of issued tokens are answered.
    /// </summary>
    public void HoldUnknownTokenReviews() => Volatile.Write(ref _unknownTokenReviewsHeld, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Answers the held reviews, and later ones at once.</summary>
    public void ReleaseUnknownTokenReviews() => Interlocked.Exchange(ref _unknownTokenReviewsHeld, null)?.TrySetResult();

    /// <summary>Reviews held unanswered now (<see cref="HoldUnknownTokenReviews"/>).</summary>
    public int HeldTokenReviews => Volatile.Read(ref _heldTokenReviews);

    /// <summary>Callers presenting <paramref name="bearer"/> may (or, with false, may no longer) create TokenReviews.</summary>
    public void AllowTokenReviews(string bearer, bool allowed = true) => _tokenReviewers[bearer] = allowed;

    private void MapTokenReviewRoutes(WebApplication app) =>
        app.MapPost("/apis/authentication.k8s.io/v1/tokenreviews", ReviewTokenAsync);

    private async Task ReviewTokenAsync(HttpContext context)
    {
        var bearer = context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : "";
        if (!_tokenReviewers.GetValueOrDefault(bearer))
        {
            var who = _serviceAccountTokens.TryGetValue(bearer, out var caller) ? caller.Username : "system:anonymous";
            await StatusAsync(context, StatusCodes.Status403Forbidden, "Forbidden", $"tokenreviews.authentication.k8s.io is forbidden: User \"{who}\" cannot create resource \"tokenreviews\" in API group \"authentication.k8s.io\" at the cluster scope");
            return;
        }

        var review = KubernetesJson.Deserialize<V1TokenReview>(await ReadBodyAsync(context));
        var token = review.Spec?.Token ?? "";
        var asked = review.Spec?.Audiences is { Count: > 0 } audiences ? audiences.ToList() : [ApiServerAudience];
        if (!_serviceAccountTokens.ContainsKey(token) && Volatile.Read(ref _unknownTokenReviewsHeld) is { } held)
        {
            Interlocked.Increment(ref _heldTokenReviews);
            try
            {
                await held.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the reviewer gave up (its Agent:TokenReview:Timeout)
            }
            finally
            {
                Interlocked.Decrement(ref _heldTokenReviews);
            }
        }

        var status = new V1TokenReviewStatus();
        if (!_serviceAccountTokens.TryGetValue(token, out var issued))
        {
            status.User = new V1UserInfo();
            status.Error = "[invalid bearer token, service account token has been invalidated]";
        }
        else if (asked.Intersect(issued.Audiences, StringComparer.Ordinal).ToList() is { Count: > 0 } common)
        {
            var ns = issued.Username.Split(':')[2];
            status.Authenticated = true;
            status.Audiences = common;
            status.User = new V1UserInfo
            {
                Username = issued.Username,
                Uid = Guid.NewGuid().ToString(),
                Groups = ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"],
            };
        }
        else
        {
            status.User = new V1UserInfo();
            status.Error = $"[invalid bearer token, token audiences [{string.Join(" ", issued.Audiences.Select(a => $"\"{a}\""))}] is invalid for the target audiences [{string.Join(" ", asked.Select(a => $"\"{a}\""))}]]";
        }

        TokenReviews.Enqueue((token, asked, status.Authenticated == true));
        var answer = new V1TokenReview
        {
            ApiVersion = "authentication.k8s.io/v1",
            Kind = "TokenReview",
            Metadata = new V1ObjectMeta { CreationTimestamp = DateTime.UtcNow },
            Spec = review.Spec,
            Status = status,
        };
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(KubernetesJson.Serialize(answer));
    }
}
