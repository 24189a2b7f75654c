using System.Security.Cryptography.X509Certificates;

namespace FaultAgent.Auth;

/// <summary>
/// How the agent reaches the Kubernetes API for its TokenReviews: the server, the roots its certificate must chain to,
/// and the agent's own credential (a bearer token, or a file holding it, re-read at every request so a rotated
/// ServiceAccount token is used as soon as the kubelet writes it; or a client certificate). Made from a kubeconfig
/// (<see cref="KubeconfigReader"/>) or from the pod's ServiceAccount (<see cref="InCluster()"/>).
/// </summary>
public sealed class KubernetesApiConnection
{
    /// <summary>Where the kubelet mounts a pod's ServiceAccount token, CA bundle and namespace.</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public KubernetesApiConnection(Uri server, X509Certificate2Collection trustedRoots, string? token, string? tokenFile, X509Certificate2? clientCertificate)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(trustedRoots);
        Server = server;
        TrustedRoots = trustedRoots;
        Token = token;
        TokenFile = tokenFile;
        ClientCertificate = clientCertificate;
    }

    /// <summary>The API server's base address (<c>https://host:port</c>, or <c>http://</c> where a kubeconfig says so).</summary>
    public Uri Server { get; }

    /// <summary>The roots the server's certificate must chain to; empty: the system's trust store.</summary>
    public X509Certificate2Collection TrustedRoots { get; }

    /// <summary>A bearer token given inline.</summary>
    public string? Token { get; }

    /// <summary>A file holding the bearer token (a ServiceAccount token the kubelet rotates).</summary>
    public string? TokenFile { get; }

    /// <summary>A client certificate with its key (kubeconfig <c>client-certificate(-data)</c> + <c>client-key(-data)</c>).</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>True in a pod with a ServiceAccount: the service environment variables are set and the token is mounted.</summary>
    public static bool IsInCluster() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"))
        && File.Exists(Path.Combine(ServiceAccountDirectory, "token"));

    /// <summary>The pod's own ServiceAccount, as every in-cluster client reaches the API server.</summary>
    public static KubernetesApiConnection InCluster() =>
        InCluster(
            Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") ?? "",
            Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT") ?? "",
            ServiceAccountDirectory);

    /// <summary>
    /// The API server at <paramref name="host"/>:<paramref name="port"/> over TLS, its certificate checked against
    /// <c>ca.crt</c> and the token read from <c>token</c> in <paramref name="serviceAccountDirectory"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The service address or the mounted files are missing.</exception>
    public static KubernetesApiConnection InCluster(string host, string port, string serviceAccountDirectory)
    {
        if (string.IsNullOrEmpty(host) || !int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new InvalidOperationException($"Not in a pod: KUBERNETES_SERVICE_HOST / KUBERNETES_SERVICE_PORT are not a host and port ('{host}', '{port}').");
        }

        var tokenFile = Path.Combine(serviceAccountDirectory, "token");
        var caFile = Path.Combine(serviceAccountDirectory, "ca.crt");
        if (!File.Exists(tokenFile) || !File.Exists(caFile))
        {
            throw new InvalidOperationException($"Not in a pod with a ServiceAccount: {tokenFile} and {caFile} must both exist.");
        }

        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caFile);
        var server = new UriBuilder(Uri.UriSchemeHttps, host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host, number).Uri;
        return new KubernetesApiConnection(server, roots, token: null, tokenFile, clientCertificate: null);
    }

    /// <summary>The bearer token to present now (the token file's current content), or null with a client certificate only.</summary>
    public async Task<string?> ReadTokenAsync(CancellationToken cancellationToken)
    {
        if (TokenFile is null)
        {
            return Token;
        }

        return (await File.ReadAllTextAsync(TokenFile, cancellationToken).ConfigureAwait(false)).Trim();
    }
}
