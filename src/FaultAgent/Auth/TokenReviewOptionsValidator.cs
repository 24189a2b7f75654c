using System.Text.RegularExpressions;
using FaultAgent.Hosting;
using Microsoft.Extensions.Options;

namespace FaultAgent.Auth;

/// <summary>
/// At start, with <c>Agent:AuthMode=TokenReview</c>: an audience, at least one allowed ServiceAccount
/// (<c>&lt;namespace&gt;/&lt;name&gt;</c>, DNS labels / subdomains), and a way to reach the Kubernetes API (an existing
/// <c>Agent:TokenReview:Kubeconfig</c> the agent can use, or the pod's ServiceAccount when running in a pod).
/// </summary>
public sealed partial class TokenReviewOptionsValidator(IOptions<AgentOptions> agent) : IValidateOptions<TokenReviewOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenReviewOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (agent.Value.AuthMode != AgentAuthMode.TokenReview || agent.Value.AllowUnauthenticated)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Agent:TokenReview:Audience is empty: name the audience the API's projected token is bound to (fault-injection-agent).");
        }

        if (options.AllowedServiceAccounts.Count == 0)
        {
            failures.Add("Agent:TokenReview:AllowedServiceAccounts is empty: name the API's ServiceAccount as <namespace>/<name> (e.g. fault-injection-system/fault-injection-api).");
        }

        foreach (var account in options.AllowedServiceAccounts)
        {
            var parts = account.Trim().Split('/');
            if (parts.Length != 2 || !NamespacePattern().IsMatch(parts[0]) || parts[1].Length > 253 || !NamePattern().IsMatch(parts[1]))
            {
                failures.Add($"Agent:TokenReview:AllowedServiceAccounts: '{account}' is not <namespace>/<name> (lower-case DNS names).");
            }
        }

        if (!string.IsNullOrEmpty(options.Kubeconfig))
        {
            if (!File.Exists(options.Kubeconfig))
            {
                failures.Add($"Agent:TokenReview:Kubeconfig '{options.Kubeconfig}' does not exist.");
            }
            else
            {
                try
                {
                    KubeconfigReader.Read(options.Kubeconfig);
                }
                catch (KubeconfigException e)
                {
                    failures.Add($"Agent:TokenReview:Kubeconfig: {e.Message}");
                }
            }
        }
        else if (!KubernetesApiConnection.IsInCluster())
        {
            failures.Add("Agent:AuthMode=TokenReview needs the Kubernetes API: run in a pod with its ServiceAccount token mounted, or set Agent:TokenReview:Kubeconfig.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespacePattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
