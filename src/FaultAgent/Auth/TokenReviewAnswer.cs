namespace FaultAgent.Auth;

/// <summary>The API server's answer to a TokenReview: <c>status.authenticated</c>, <c>status.user.username</c>, <c>status.audiences</c>, <c>status.error</c>.</summary>
public sealed record TokenReviewAnswer(bool Authenticated, string? Username, IReadOnlyList<string> Audiences, string? Error);
