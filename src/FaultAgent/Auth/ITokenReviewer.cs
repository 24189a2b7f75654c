namespace FaultAgent.Auth;

/// <summary>The Kubernetes boundary of the agent's authentication: one TokenReview of a presented token for an audience.</summary>
public interface ITokenReviewer
{
    /// <exception cref="Exception">The review could not be made (the API server unreachable, forbidden, too slow).</exception>
    Task<TokenReviewAnswer> ReviewAsync(string token, string audience, CancellationToken cancellationToken);
}
