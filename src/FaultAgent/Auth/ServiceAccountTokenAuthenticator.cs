using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Auth;

/// <summary>
/// <c>Agent:AuthMode=TokenReview</c>: a presented bearer token is accepted only when a TokenReview says it is
/// authenticated, bound to <c>Agent:TokenReview:Audience</c> (checked in <c>status.audiences</c>, so an API server that
/// ignored the audience cannot pass a token meant for another), and of a ServiceAccount in
/// <c>Agent:TokenReview:AllowedServiceAccounts</c>. Answers are kept for <c>Agent:TokenReview:CacheDuration</c> per token
/// (by its SHA-256; concurrent calls with one token share one review; at most <see cref="MaxCachedTokens"/> kept, refusals
/// dropped before acceptances: <see cref="Trim"/>). Fails
/// closed: a review that cannot be made (API server unreachable, forbidden, slower than <c>Agent:TokenReview:Timeout</c>)
/// refuses the call and is not kept. What refusals may cost: a token not accepted within the last
/// <see cref="AcceptedMemory"/> is reviewed only while fewer than <c>Agent:TokenReview:MaxConcurrentReviews</c> such
/// reviews are in flight and its source address has a place left (<see cref="FailedReviewLimiter"/>), else refused at
/// once without a review (<see cref="TokenReviewOutcome.RetryAfter"/>); a kept answer is always answered, and a token
/// accepted within the last hour is reviewed again past the cache duration whatever the limits. A source address that had
/// a token accepted within the last hour (the API's pod) has <see cref="AcceptedSourceReviews"/> more places of its own
/// when the shared ones are full, so a new token of it (the kubelet rotated the API's) is reviewed while unknown sources
/// flood; its address's <c>FailedReviewsPerSource</c> still applies.
/// </summary>
public sealed class ServiceAccountTokenAuthenticator(
    ITokenReviewer reviewer,
    FailedReviewLimiter limiter,
    IOptions<TokenReviewOptions> options,
    TimeProvider timeProvider,
    ILogger<ServiceAccountTokenAuthenticator> logger)
{
    public const int MaxCachedTokens = 1024;

    /// <summary>How long a token's acceptance exempts its later reviews from the limits (a projected token lives about an hour).</summary>
    public static readonly TimeSpan AcceptedMemory = TimeSpan.FromHours(1);

    /// <summary>
    /// Reviews of new tokens that may be in flight beyond <c>Agent:TokenReview:MaxConcurrentReviews</c>, for source
    /// addresses that had a token accepted within <see cref="AcceptedMemory"/> (#14: a freshly rotated API token was refused
    /// while a flood held the shared places).
    /// </summary>
    public const int AcceptedSourceReviews = 4;

    private readonly ConcurrentDictionary<string, CachedReview> _cache = new(StringComparer.Ordinal);
    private readonly TokenReviewOptions _options = options.Value;
    private readonly IReadOnlySet<string> _allowed = options.Value.AllowedUsernames();
    private int _limitedInFlight;
    private int _acceptedSourceInFlight;

    /// <summary>Tokens whose answer is kept now.</summary>
    public int CachedCount => _cache.Count;

    public Task<TokenReviewOutcome> AuthenticateAsync(string token, CancellationToken cancellationToken) => AuthenticateAsync(token, null, cancellationToken);

    /// <summary>The token's outcome; <paramref name="source"/> (the caller's address) is charged when its review does not accept it.</summary>
    public async Task<TokenReviewOutcome> AuthenticateAsync(string token, IPAddress? source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = timeProvider.GetTimestamp();
        while (true)
        {
            if (_cache.TryGetValue(key, out var cached) && timeProvider.GetElapsedTime(cached.Started, now) < _options.CacheDuration)
            {
                return await cached.Outcome.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            // A token accepted within the last hour (the API's) is reviewed again whatever the limits; any other review
            // takes a place of its source's and of the reviews in flight first, or is refused without being made.
            var limited = !(cached is not null && cached.Accepted && timeProvider.GetElapsedTime(cached.Started, now) < AcceptedMemory);
            var lane = TokenReviewLane.Exempt;
            if (limited && TakeLimitedPlace(source, out lane) is { } refusal)
            {
                return refusal;
            }

            // The review is not tied to this caller's request: a second caller with the same token may be waiting on it.
            var fresh = new CachedReview(now, new Lazy<Task<TokenReviewOutcome>>(() => ReviewAsync(token, lane)));
            var stored = cached is null ? _cache.TryAdd(key, fresh) : _cache.TryUpdate(key, fresh, cached);
            if (!stored)
            {
                if (limited)
                {
                    Leave(lane);
                    limiter.Return(source);
                }

                continue;
            }

            Trim(now);
            var outcome = await fresh.Outcome.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (outcome.Name is not null)
            {
                limiter.Accepted(source);
                if (limited)
                {
                    limiter.Return(source);
                }
            }

            // An acceptance stays (even with no cache duration, when it is never answered again) so its token keeps its exemption.
            if (!outcome.Cacheable || (_options.CacheDuration <= TimeSpan.Zero && outcome.Name is null))
            {
                _cache.TryRemove(new KeyValuePair<string, CachedReview>(key, fresh));
            }

            return outcome;
        }
    }

    /// <summary>
    /// Takes a place of <paramref name="source"/>'s and one of the limited reviews in flight: a shared one, else, for an
    /// address that had a token accepted within the last hour, one of <see cref="AcceptedSourceReviews"/>. The refusal
    /// when the address's places or every review place it may take are full.
    /// </summary>
    private TokenReviewOutcome? TakeLimitedPlace(IPAddress? source, out TokenReviewLane lane)
    {
        lane = TokenReviewLane.Exempt;
        if (limiter.TryTake(source) is { } wait)
        {
            return TokenReviewOutcome.Limited(
                $"Too many tokens refused from {source?.ToString() ?? "this caller"} (Agent:TokenReview:FailedReviewsPerSource {_options.FailedReviewsPerSource} per {_options.FailedReviewWindow}); no review was made; retry later.",
                wait);
        }

        if (TryEnter(ref _limitedInFlight, _options.MaxConcurrentReviews))
        {
            lane = TokenReviewLane.Shared;
            return null;
        }

        if (limiter.AcceptedRecently(source) && TryEnter(ref _acceptedSourceInFlight, AcceptedSourceReviews))
        {
            lane = TokenReviewLane.AcceptedSource;
            return null;
        }

        limiter.Return(source);
        return TokenReviewOutcome.Limited(
            $"Too many token reviews in flight (Agent:TokenReview:MaxConcurrentReviews {_options.MaxConcurrentReviews}, and {AcceptedSourceReviews} more for addresses that had a token accepted within the last hour); no review was made; retry later.",
            TimeSpan.FromSeconds(1));
    }

    private static bool TryEnter(ref int inFlight, int bound)
    {
        if (Interlocked.Increment(ref inFlight) <= bound)
        {
            return true;
        }

        Interlocked.Decrement(ref inFlight);
        return false;
    }

    private void Leave(TokenReviewLane lane)
    {
        if (lane == TokenReviewLane.Shared)
        {
            Interlocked.Decrement(ref _limitedInFlight);
        }
        else if (lane == TokenReviewLane.AcceptedSource)
        {
            Interlocked.Decrement(ref _acceptedSourceInFlight);
        }
    }

    private async Task<TokenReviewOutcome> ReviewAsync(string token, TokenReviewLane lane)
    {
        TokenReviewAnswer answer;
        using var timeout = new CancellationTokenSource(_options.Timeout, timeProvider);
        try
        {
            answer = await reviewer.ReviewAsync(token, _options.Audience, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var reason = timeout.IsCancellationRequested ? $"no answer within {_options.Timeout.TotalSeconds:0.#} s" : ex.Message;
            AgentAuthenticationLog.TokenReviewFailed(logger, reason);
            return TokenReviewOutcome.Failed($"The token could not be reviewed with the Kubernetes API ({reason}); refused.");
        }
        finally
        {
            Leave(lane);
        }

        if (!answer.Authenticated)
        {
            AgentAuthenticationLog.TokenReviewRefused(logger, answer.Username ?? "", answer.Error ?? "not authenticated");
            return TokenReviewOutcome.Refused("The bearer token is not accepted (TokenReview: not authenticated).");
        }

        if (!answer.Audiences.Contains(_options.Audience, StringComparer.Ordinal))
        {
            AgentAuthenticationLog.TokenReviewRefused(logger, answer.Username ?? "", $"audiences [{string.Join(", ", answer.Audiences)}] do not include {_options.Audience}");
            return TokenReviewOutcome.Refused($"The bearer token is not bound to the audience {_options.Audience}.");
        }

        if (answer.Username is null || !_allowed.Contains(answer.Username))
        {
            AgentAuthenticationLog.TokenReviewRefused(logger, answer.Username ?? "", "not an allowed ServiceAccount (Agent:TokenReview:AllowedServiceAccounts)");
            return TokenReviewOutcome.Refused($"{answer.Username} may not call this agent.");
        }

        return TokenReviewOutcome.Accepted(answer.Username);
    }

    /// <summary>
    /// Once the cache is full: drops expired answers (an acceptance only past <see cref="AcceptedMemory"/>), then every answer that did not accept its token (and reviews still
    /// running), and everything only if the accepted ones alone are too many. So distinct bad tokens — each one review,
    /// the least a refusal costs — never push out the API's accepted token: without this order, past
    /// <see cref="MaxCachedTokens"/> distinct bad tokens within <c>CacheDuration</c> cleared the API's answer with them,
    /// and every later call of the API cost a review too.
    /// </summary>
    private void Trim(long now)
    {
        if (_cache.Count <= MaxCachedTokens)
        {
            return;
        }

        foreach (var (key, review) in _cache)
        {
            var age = timeProvider.GetElapsedTime(review.Started, now);
            if (age >= _options.CacheDuration && (!review.Accepted || age >= AcceptedMemory))
            {
                _cache.TryRemove(new KeyValuePair<string, CachedReview>(key, review));
            }
        }

        if (_cache.Count > MaxCachedTokens)
        {
            foreach (var (key, review) in _cache)
            {
                if (!review.Accepted)
                {
                    _cache.TryRemove(new KeyValuePair<string, CachedReview>(key, review));
                }
            }
        }

        if (_cache.Count > MaxCachedTokens)
        {
            _cache.Clear();
        }
    }

    private sealed class CachedReview(long started, Lazy<Task<TokenReviewOutcome>> outcome)
    {
        public long Started { get; } = started;

        public Task<TokenReviewOutcome> Outcome => outcome.Value;

        /// <summary>The review has ended and accepted its token.</summary>
        public bool Accepted => outcome.IsValueCreated && outcome.Value.IsCompletedSuccessfully && outcome.Value.Result.Name is not null;
    }
}
