namespace FaultAgent.Auth;

/// <summary>A TokenReview's <c>spec</c>: the token to review and the audiences it must be bound to.</summary>
public sealed class TokenReviewSpec
{
    public string? Token { get; set; }

    public List<string> Audiences { get; set; } = [];
}
