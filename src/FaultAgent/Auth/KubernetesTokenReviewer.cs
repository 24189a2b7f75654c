using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace FaultAgent.Auth;

/// <summary>
/// TokenReviews with one <c>POST /apis/authentication.k8s.io/v1/tokenreviews</c> (which the agent's ServiceAccount may
/// create through its ClusterRole), <c>spec.audiences</c> set so the API server checks the token's audience. The
/// connection is made at the first review, from <c>Agent:TokenReview:Kubeconfig</c> or the pod's ServiceAccount (whose
/// rotated token is re-read at every review). A plain <see cref="HttpClient"/> and four source-generated types instead
/// of KubernetesClient, whose model of the whole Kubernetes API was half of the Native AOT agent's types and code
/// (BENCHMARKS.md, "What the agent's memory is").
/// </summary>
public sealed class KubernetesTokenReviewer : ITokenReviewer, IDisposable
{
    private const string TokenReviewsPath = "apis/authentication.k8s.io/v1/tokenreviews";

    private readonly Lazy<(HttpClient Client, KubernetesApiConnection Connection)> _api;

    public KubernetesTokenReviewer(IOptions<TokenReviewOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _api = new Lazy<(HttpClient, KubernetesApiConnection)>(() => Connect(options.Value));
    }

    /// <summary>A reviewer on a connection made by the caller (tests: an in-cluster connection of their own directory).</summary>
    internal KubernetesTokenReviewer(KubernetesApiConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _api = new Lazy<(HttpClient, KubernetesApiConnection)>(() => (CreateClient(connection), connection));
    }

    public async Task<TokenReviewAnswer> ReviewAsync(string token, string audience, CancellationToken cancellationToken)
    {
        var (client, connection) = _api.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenReviewsPath)
        {
            Content = JsonContent.Create(
                new TokenReviewDocument { Spec = new TokenReviewSpec { Token = token, Audiences = [audience] } },
                TokenReviewJsonContext.Default.TokenReviewDocument),
        };
        if (await connection.ReadTokenAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } own)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", own);
        }

        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await RefusalAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var review = await response.Content.ReadFromJsonAsync(TokenReviewJsonContext.Default.TokenReviewDocument, cancellationToken).ConfigureAwait(false);
        var status = review?.Status;
        return new TokenReviewAnswer(status?.Authenticated == true, status?.User?.Username, [.. status?.Audiences ?? []], status?.Error);
    }

    public void Dispose()
    {
        if (_api.IsValueCreated)
        {
            _api.Value.Client.Dispose();
        }
    }

    /// <summary>The connection of <paramref name="options"/>: its kubeconfig, or the pod's ServiceAccount.</summary>
    public static KubernetesApiConnection ConnectionOf(TokenReviewOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !string.IsNullOrEmpty(options.Kubeconfig) ? KubeconfigReader.Read(options.Kubeconfig) : KubernetesApiConnection.InCluster();
    }

    /// <summary>An HTTP client for <paramref name="connection"/>: its server as base address, its roots, its client certificate.</summary>
    public static HttpClient CreateClient(KubernetesApiConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tls = new SslClientAuthenticationOptions();
        if (connection.TrustedRoots.Count > 0)
        {
            // The cluster's CA, and only it: a certificate from any other root (the system's included) is refused.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(connection.TrustedRoots);
            tls.CertificateChainPolicy = policy;
        }

        if (connection.ClientCertificate is { } certificate)
        {
            tls.ClientCertificates = [certificate];
        }

        var handler = new SocketsHttpHandler { SslOptions = tls, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var server = connection.Server.ToString();
        return new HttpClient(handler) { BaseAddress = new Uri(server.EndsWith('/') ? server : server + "/") };
    }

    private static (HttpClient, KubernetesApiConnection) Connect(TokenReviewOptions options)
    {
        var connection = ConnectionOf(options);
        return (CreateClient(connection), connection);
    }

    private static async Task<KubernetesApiException> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        string? message = null;
        try
        {
            var status = await response.Content.ReadFromJsonAsync(TokenReviewJsonContext.Default.KubernetesStatusDocument, cancellationToken).ConfigureAwait(false);
            message = status?.Message;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or HttpRequestException)
        {
            // Not a Status document (a proxy's page): the status line says enough.
        }

        return new KubernetesApiException(response.StatusCode, message is { Length: > 0 }
            ? $"the Kubernetes API answered {code} {response.ReasonPhrase}: {message}"
            : $"the Kubernetes API answered {code} {response.ReasonPhrase}");
    }
}
