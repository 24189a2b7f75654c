using System.ComponentModel.DataAnnotations;
using FaultAgent.Hosting;

namespace FaultAgent.Auth;

/// <summary>
/// The <c>Agent:TokenReview</c> settings, used with <c>Agent:AuthMode=TokenReview</c>: which ServiceAccounts may call the
/// agent, with tokens for which audience, and how the agent reaches the Kubernetes API.
/// </summary>
public sealed class TokenReviewOptions
{
    public const string SectionName = "Agent:TokenReview";

    /// <summary>The audience a caller's token must be bound to (the API's projected token names it).</summary>
    public string Audience { get; set; } = "fault-injection-agent";

    /// <summary>The ServiceAccounts allowed to call, each <c>&lt;namespace&gt;/&lt;name&gt;</c>.</summary>
    public List<string> AllowedServiceAccounts { get; set; } = [];

    /// <summary>How long a review's answer (accepted or refused) is reused for the same token; 0 reviews every call.</summary>
    [SettingRange("00:00:00", "00:05:00", ErrorMessage = "Agent:TokenReview:CacheDuration must be 00:00:00 to 00:05:00.")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one TokenReview may take; then the call is refused (fail closed).</summary>
    [SettingRange("00:00:01", "00:01:00", ErrorMessage = "Agent:TokenReview:Timeout must be 00:00:01 to 00:01:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reviews of tokens not accepted before that may be in flight at once; past it such a token is refused at once (HTTP
    /// 429, gRPC RESOURCE_EXHAUSTED, retry after 1 s) and no review is made, unless its source address had a token
    /// accepted within the last hour and one of <see cref="ServiceAccountTokenAuthenticator.AcceptedSourceReviews"/> more
    /// places is free. A token accepted within the last hour is never held to it.
    /// </summary>
    [SettingRange(1, 1024, ErrorMessage = "Agent:TokenReview:MaxConcurrentReviews must be 1 to 1024.")]
    public int MaxConcurrentReviews { get; set; } = 16;

    /// <summary>
    /// How many reviews that did not accept their token one source address may cost per <see cref="FailedReviewWindow"/>
    /// (a bucket refilled evenly); past it that address's tokens not accepted before are refused without a review (429 /
    /// RESOURCE_EXHAUSTED with the time until a place frees).
    /// </summary>
    [SettingRange(1, 10000, ErrorMessage = "Agent:TokenReview:FailedReviewsPerSource must be 1 to 10000.")]
    public int FailedReviewsPerSource { get; set; } = 20;

    /// <summary>The window over which <see cref="FailedReviewsPerSource"/> refills.</summary>
    [SettingRange("00:00:01", "01:00:00", ErrorMessage = "Agent:TokenReview:FailedReviewWindow must be 00:00:01 to 01:00:00.")]
    public TimeSpan FailedReviewWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A kubeconfig to reach the Kubernetes API; unset: the pod's own ServiceAccount (in-cluster).</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The Kubernetes usernames of <see cref="AllowedServiceAccounts"/>: <c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c>.</summary>
    public IReadOnlySet<string> AllowedUsernames() =>
        AllowedServiceAccounts.Select(a => a.Trim().Split('/')).Where(p => p.Length == 2).Select(p => $"system:serviceaccount:{p[0]}:{p[1]}").ToHashSet(StringComparer.Ordinal);
}
