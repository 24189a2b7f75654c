namespace FaultAgent.Auth;

/// <summary>Which bound a token review in flight counts against (<see cref="ServiceAccountTokenAuthenticator"/>).</summary>
public enum TokenReviewLane
{
    /// <summary>A token accepted within the last hour: held to no bound.</summary>
    Exempt,

    /// <summary>One of <c>Agent:TokenReview:MaxConcurrentReviews</c>.</summary>
    Shared,

    /// <summary>
    /// One of <see cref="ServiceAccountTokenAuthenticator.AcceptedSourceReviews"/>, taken when the shared ones are full by a
    /// source address that had a token accepted within the last hour.
    /// </summary>
    AcceptedSource,
}
