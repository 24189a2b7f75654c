namespace FaultAgent.Auth;

/// <summary>
/// What the agent made of a presented ServiceAccount token: the caller's name (its Kubernetes username) when accepted,
/// else why not. A refusal by the API server is kept for the cache duration; a review that could not be made is not.
/// <see cref="RetryAfter"/> is set when no review was made because a limit on reviews was reached (the caller may retry).
/// </summary>
public sealed record TokenReviewOutcome(string? Name, string Problem, bool Cacheable)
{
    public TimeSpan? RetryAfter { get; init; }

    public static TokenReviewOutcome Limited(string problem, TimeSpan retryAfter) => new(null, problem, Cacheable: false) { RetryAfter = retryAfter };

    public static TokenReviewOutcome Accepted(string name) => new(name, "", Cacheable: true);

    public static TokenReviewOutcome Refused(string problem) => new(null, problem, Cacheable: true);

    public static TokenReviewOutcome Failed(string problem) => new(null, problem, Cacheable: false);
}
