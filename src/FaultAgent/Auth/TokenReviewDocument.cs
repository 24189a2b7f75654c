namespace FaultAgent.Auth;

/// <summary>An <c>authentication.k8s.io/v1</c> TokenReview as sent (spec) and as answered (status).</summary>
public sealed class TokenReviewDocument
{
    public string ApiVersion { get; set; } = "authentication.k8s.io/v1";

    public string Kind { get; set; } = "TokenReview";

    public TokenReviewSpec? Spec { get; set; }

    public TokenReviewStatus? Status { get; set; }
}
