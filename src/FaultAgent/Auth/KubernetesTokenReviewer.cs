using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace FaultAgent.Auth;

/// <summary>
/// TokenReviews through KubernetesClient (<c>POST /apis/authentication.k8s.io/v1/tokenreviews</c>, which the agent's
/// ServiceAccount may create through its ClusterRole), with <c>spec.audiences</c> set so the API server checks the
/// token's audience. The client is made at the first review, from <c>Agent:TokenReview:Kubeconfig</c> or the pod's
/// ServiceAccount (whose rotated token KubernetesClient re-reads).
/// </summary>
public sealed class KubernetesTokenReviewer : ITokenReviewer, IDisposable
{
    private readonly Lazy<Kubernetes> _client;

    public KubernetesTokenReviewer(IOptions<TokenReviewOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = new Lazy<Kubernetes>(() => new Kubernetes(Configuration(options.Value)));
    }

    public async Task<TokenReviewAnswer> ReviewAsync(string token, string audience, CancellationToken cancellationToken)
    {
        var review = await _client.Value.AuthenticationV1.CreateTokenReviewAsync(
            new V1TokenReview
            {
                ApiVersion = "authentication.k8s.io/v1",
                Kind = "TokenReview",
                Spec = new V1TokenReviewSpec { Token = token, Audiences = [audience] },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        var status = review.Status;
        return new TokenReviewAnswer(status?.Authenticated == true, status?.User?.Username, [.. status?.Audiences ?? []], status?.Error);
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    private static KubernetesClientConfiguration Configuration(TokenReviewOptions options) =>
        !string.IsNullOrEmpty(options.Kubeconfig)
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig)
            : KubernetesClientConfiguration.InClusterConfig();
}
