using System.Collections.Concurrent;
using FaultAgent.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaultAgent.Tests.Auth;

/// <summary>
/// The TokenReview cache under a flood of distinct bad tokens (a caller that reaches the agent's port presenting a new
/// token each time). The reviewer here answers as the API server would; the real API server's answers are covered by
/// KubernetesTokenReviewerTests and, end to end, by FaultApi.Tests' ServiceAccountTokenTests.
/// </summary>
public sealed class ServiceAccountTokenAuthenticatorTests
{
    private const string ApiToken = "the-api-servers-projected-token";
    private const string ApiUsername = "system:serviceaccount:fault-injection-system:fault-injection-api";

    private readonly FakeTimeProvider _time = new();
    private readonly CountingReviewer _reviewer = new();

    [Fact]
    public async Task AuthenticateAsync_MoreDistinctBadTokensThanTheCacheHolds_KeepsTheAcceptedAnswer()
    {
        var authenticator = Create();
        Assert.Equal(ApiUsername, (await authenticator.AuthenticateAsync(ApiToken, CancellationToken.None)).Name);

        for (var i = 0; i < ServiceAccountTokenAuthenticator.MaxCachedTokens * 2; i++)
        {
            Assert.Null((await authenticator.AuthenticateAsync($"bad-token-{i}", CancellationToken.None)).Name);
        }

        // Within CacheDuration the API's token is still answered from the cache: one review of it in all.
        Assert.Equal(ApiUsername, (await authenticator.AuthenticateAsync(ApiToken, CancellationToken.None)).Name);
        Assert.Equal(1, _reviewer.ReviewsOf(ApiToken));
        Assert.InRange(authenticator.CachedCount, 1, ServiceAccountTokenAuthenticator.MaxCachedTokens + 1);
    }

    [Fact]
    public async Task AuthenticateAsync_RefusedTokenWithinTheCacheDuration_IsReviewedOnce()
    {
        var authenticator = Create();

        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await authenticator.AuthenticateAsync("bad-token", CancellationToken.None)).Name);
        }

        Assert.Equal(1, _reviewer.ReviewsOf("bad-token"));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Null((await authenticator.AuthenticateAsync("bad-token", CancellationToken.None)).Name);
        Assert.Equal(2, _reviewer.ReviewsOf("bad-token"));
    }

    private ServiceAccountTokenAuthenticator Create() => new(
        _reviewer,
        Options.Create(new TokenReviewOptions { AllowedServiceAccounts = ["fault-injection-system/fault-injection-api"], CacheDuration = TimeSpan.FromSeconds(10) }),
        _time,
        NullLogger<ServiceAccountTokenAuthenticator>.Instance);

    /// <summary>Authenticates <see cref="ApiToken"/> for the agents' audience, nothing else; counts the reviews per token.</summary>
    private sealed class CountingReviewer : ITokenReviewer
    {
        private readonly ConcurrentDictionary<string, int> _reviews = new(StringComparer.Ordinal);

        public int ReviewsOf(string token) => _reviews.GetValueOrDefault(token);

        public Task<TokenReviewAnswer> ReviewAsync(string token, string audience, CancellationToken cancellationToken)
        {
            _reviews.AddOrUpdate(token, 1, (_, n) => n + 1);
            return Task.FromResult(token == ApiToken
                ? new TokenReviewAnswer(true, ApiUsername, [audience], null)
                : new TokenReviewAnswer(false, null, [], "invalid bearer token"));
        }
    }
}
