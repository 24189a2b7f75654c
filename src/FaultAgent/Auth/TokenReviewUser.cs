namespace FaultAgent.Auth;

/// <summary>A TokenReview's <c>status.user</c>: the token's username (<c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c>).</summary>
public sealed class TokenReviewUser
{
    public string? Username { get; set; }
}
