using System.Collections.Concurrent;
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
/// refuses the call and is not kept.
/// </summary>
public sealed class ServiceAccountTokenAuthenticator(
    ITokenReviewer reviewer,
    IOptions<TokenReviewOptions> options,
    TimeProvider timeProvider,
    ILogger<ServiceAccountTokenAuthenticator> logger)
{
    public const int MaxCachedTokens = 1024;

    private readonly ConcurrentDictionary<string, CachedReview> _cache = new(StringComparer.Ordinal);
    private readonly TokenReviewOptions _options = options.Value;
    private readonly IReadOnlySet<string> _allowed = options.Value.AllowedUsernames();

    /// <summary>Tokens whose answer is kept now.</summary>
    public int CachedCount => _cache.Count;

    public async Task<TokenReviewOutcome> AuthenticateAsync(string token, CancellationToken cancellationToken)
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

            // The review is not tied to this caller's request: a second caller with the same token may be waiting on it.
            var fresh = new CachedReview(now, new Lazy<Task<TokenReviewOutcome>>(() => ReviewAsync(token)));
            var stored = cached is null ? _cache.TryAdd(key, fresh) : _cache.TryUpdate(key, fresh, cached);
            if (!stored)
            {
                continue;
            }

            Trim(now);
            var outcome = await fresh.Outcome.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!outcome.Cacheable || _options.CacheDuration <= TimeSpan.Zero)
            {
                _cache.TryRemove(new KeyValuePair<string, CachedReview>(key, fresh));
            }

            return outcome;
        }
    }

    private async Task<TokenReviewOutcome> ReviewAsync(string token)
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
    /// Once the cache is full: drops expired answers, then every answer that did not accept its token (and reviews still
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
            if (timeProvider.GetElapsedTime(review.Started, now) >= _options.CacheDuration)
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
