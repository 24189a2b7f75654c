namespace FaultAgent.Auth;

/// <summary>A TokenReview's <c>status</c>: whether the token is authenticated, whose it is, for which audiences, or the error.</summary>
public sealed class TokenReviewStatus
{
    public bool? Authenticated { get; set; }

    public TokenReviewUser? User { get; set; }

    public List<string>? Audiences { get; set; }

    public string? Error { get; set; }
}
