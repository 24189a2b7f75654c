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

    /// <summary>A kubeconfig to reach the Kubernetes API; unset: the pod's own ServiceAccount (in-cluster).</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The Kubernetes usernames of <see cref="AllowedServiceAccounts"/>: <c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c>.</summary>
    public IReadOnlySet<string> AllowedUsernames() =>
        AllowedServiceAccounts.Select(a => a.Trim().Split('/')).Where(p => p.Length == 2).Select(p => $"system:serviceaccount:{p[0]}:{p[1]}").ToHashSet(StringComparer.Ordinal);
}
