using System.Collections.Concurrent;
using System.Net;
using FaultAgent.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaultAgent.Tests.Auth;

/// <summary>
/// The TokenReview cache and its limits under a flood of distinct bad tokens (a caller that reaches the agent's port
/// presenting a new token each time). The reviewer here answers as the API server would; the real API server's answers are covered by
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

    [Fact]
    public async Task AuthenticateAsync_DistinctBadTokensFromOneAddress_CostItsPlacesOnly_ThenRefusedWithRetryAfterUntilTheWindowRefills()
    {
        var authenticator = Create(o => (o.FailedReviewsPerSource, o.FailedReviewWindow) = (5, TimeSpan.FromMinutes(1)));
        var flooder = IPAddress.Parse("10.0.0.7");

        var outcomes = new List<TokenReviewOutcome>();
        for (var i = 0; i < 50; i++)
        {
            outcomes.Add(await authenticator.AuthenticateAsync($"bad-token-{i}", flooder, CancellationToken.None));
        }

        Assert.Equal(5, _reviewer.Total);
        Assert.All(outcomes, o => Assert.Null(o.Name));
        Assert.All(outcomes.Take(5), o => Assert.Null(o.RetryAfter));
        Assert.All(outcomes.Skip(5), o => Assert.Equal(TimeSpan.FromSeconds(12), o.RetryAfter));
        Assert.Contains("Agent:TokenReview:FailedReviewsPerSource", outcomes[^1].Problem, StringComparison.Ordinal);

        // Another address is not held to this one's places; this one gets one back per 12 s.
        Assert.Null((await authenticator.AuthenticateAsync("bad-token-other", IPAddress.Parse("10.0.0.8"), CancellationToken.None)).RetryAfter);
        _time.Advance(TimeSpan.FromSeconds(12));
        Assert.Null((await authenticator.AuthenticateAsync("bad-token-late-1", flooder, CancellationToken.None)).RetryAfter);
        Assert.NotNull((await authenticator.AuthenticateAsync("bad-token-late-2", flooder, CancellationToken.None)).RetryAfter);
        Assert.Equal(7, _reviewer.Total);
    }

    [Fact]
    public async Task AuthenticateAsync_AddressOutOfPlaces_StillAcceptsAKeptTokenAndReviewsAgainOneAcceptedBefore()
    {
        var authenticator = Create(o => (o.FailedReviewsPerSource, o.MaxConcurrentReviews) = (2, 1));
        var address = IPAddress.Loopback;
        Assert.Equal(ApiUsername, (await authenticator.AuthenticateAsync(ApiToken, address, CancellationToken.None)).Name);
        for (var i = 0; i < 10; i++)
        {
            await authenticator.AuthenticateAsync($"bad-token-{i}", address, CancellationToken.None);
        }

        // Kept: answered from the cache. Past the cache duration: reviewed again, whatever the address's places.
        Assert.Equal(ApiUsername, (await authenticator.AuthenticateAsync(ApiToken, address, CancellationToken.None)).Name);
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(ApiUsername, (await authenticator.AuthenticateAsync(ApiToken, address, CancellationToken.None)).Name);
        Assert.Equal(2, _reviewer.ReviewsOf(ApiToken));

        // A token accepted before is reviewed again from any address, however often.
        var fresh = IPAddress.Parse("10.0.0.9");
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(11));
            Assert.Equal(ApiUsername, (await authenticator.AuthenticateAsync(ApiToken, fresh, CancellationToken.None)).Name);
        }
    }

    [Fact]
    public async Task AuthenticateAsync_MoreReviewsInFlightThanAllowed_RefusesTheRestAtOnceWithoutAReview()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _reviewer.Gate = gate.Task;
        var authenticator = Create(o => o.MaxConcurrentReviews = 4);

        var held = Enumerable.Range(0, 4).Select(i => authenticator.AuthenticateAsync($"held-{i}", IPAddress.Parse($"10.0.1.{i}"), CancellationToken.None)).ToList();
        var refused = new List<TokenReviewOutcome>();
        for (var i = 0; i < 16; i++)
        {
            refused.Add(await authenticator.AuthenticateAsync($"more-{i}", IPAddress.Parse($"10.0.2.{i}"), CancellationToken.None));
        }

        Assert.Equal(4, _reviewer.Total);
        Assert.All(refused, o => Assert.Equal(TimeSpan.FromSeconds(1), o.RetryAfter));
        Assert.Contains("Agent:TokenReview:MaxConcurrentReviews", refused[0].Problem, StringComparison.Ordinal);
        gate.SetResult();
        Assert.All(await Task.WhenAll(held), o => Assert.Null(o.RetryAfter));
        Assert.Null((await authenticator.AuthenticateAsync("after", IPAddress.Parse("10.0.3.1"), CancellationToken.None)).RetryAfter);
        Assert.Equal(5, _reviewer.Total);
    }

    [Fact]
    public async Task AuthenticateAsync_SharedReviewsFull_AnAddressWithATokenAcceptedWithinTheHourHasAFewPlacesOfItsOwn_NoOtherAddressHas()
    {
        // The API's pod had its token accepted; then a flood from another address holds every shared review place, and the
        // kubelet rotates the API's token (a token never accepted: not exempt). Before (#14) it was refused, retry after 1 s.
        var authenticator = Create(o => o.MaxConcurrentReviews = 4);
        var apiAddress = IPAddress.Parse("10.0.0.5");
        Assert.Equal(ApiUsername, (await authenticator.AuthenticateAsync(ApiToken, apiAddress, CancellationToken.None)).Name);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _reviewer.Gate = gate.Task;

        var flood = Enumerable.Range(0, 4).Select(i => authenticator.AuthenticateAsync($"flood-{i}", IPAddress.Parse("10.0.1.1"), CancellationToken.None)).ToList();
        var fromApi = Enumerable.Range(0, ServiceAccountTokenAuthenticator.AcceptedSourceReviews)
            .Select(i => authenticator.AuthenticateAsync($"rotated-{i}", apiAddress, CancellationToken.None)).ToList();
        var apiPastItsPlaces = await authenticator.AuthenticateAsync("rotated-more", apiAddress, CancellationToken.None);
        var otherAddress = await authenticator.AuthenticateAsync("new-elsewhere", IPAddress.Parse("10.0.2.1"), CancellationToken.None);

        Assert.Equal(1 + 4 + ServiceAccountTokenAuthenticator.AcceptedSourceReviews, _reviewer.Total);
        Assert.All(fromApi, review => Assert.False(review.IsCompleted)); // in review, not refused
        Assert.Equal(TimeSpan.FromSeconds(1), apiPastItsPlaces.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), otherAddress.RetryAfter);
        Assert.Contains("accepted within the last hour", otherAddress.Problem, StringComparison.Ordinal);
        gate.SetResult();
        await Task.WhenAll(flood.Concat(fromApi));

        // An hour after its last acceptance the address has no places of its own.
        _time.Advance(ServiceAccountTokenAuthenticator.AcceptedMemory);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _reviewer.Gate = second.Task;
        var flood2 = Enumerable.Range(0, 4).Select(i => authenticator.AuthenticateAsync($"flood2-{i}", IPAddress.Parse("10.0.1.1"), CancellationToken.None)).ToList();
        Assert.Equal(TimeSpan.FromSeconds(1), (await authenticator.AuthenticateAsync("rotated-late", apiAddress, CancellationToken.None)).RetryAfter);
        second.SetResult();
        await Task.WhenAll(flood2);
    }

    private ServiceAccountTokenAuthenticator Create(Action<TokenReviewOptions>? configure = null)
    {
        var options = new TokenReviewOptions { AllowedServiceAccounts = ["fault-injection-system/fault-injection-api"], CacheDuration = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return new(
            _reviewer,
            new FailedReviewLimiter(Options.Create(options), _time),
            Options.Create(options),
            _time,
            NullLogger<ServiceAccountTokenAuthenticator>.Instance);
    }

    /// <summary>Authenticates <see cref="ApiToken"/> for the agents' audience, nothing else; counts the reviews per token.</summary>
    private sealed class CountingReviewer : ITokenReviewer
    {
        private readonly ConcurrentDictionary<string, int> _reviews = new(StringComparer.Ordinal);

        /// <summary>When set, every review waits for it before answering.</summary>
        public Task? Gate { get; set; }

        public int Total => _reviews.Values.Sum();

        public int ReviewsOf(string token) => _reviews.GetValueOrDefault(token);

        public async Task<TokenReviewAnswer> ReviewAsync(string token, string audience, CancellationToken cancellationToken)
        {
            _reviews.AddOrUpdate(token, 1, (_, n) => n + 1);
            if (Gate is { } gate)
            {
                await gate.WaitAsync(cancellationToken);
            }

            return token == ApiToken
                ? new TokenReviewAnswer(true, ApiUsername, [audience], null)
                : new TokenReviewAnswer(false, null, [], "invalid bearer token");
        }
    }
}
