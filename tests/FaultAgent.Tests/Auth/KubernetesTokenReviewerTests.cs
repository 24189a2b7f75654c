using System.Net;
using FaultAgent.Auth;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Auth;

/// <summary>
/// The agent's TokenReview client against a real HTTPS server signed by a cluster CA of the test's own: the in-cluster
/// connection (service host/port, the ServiceAccount directory's token and ca.crt) and a kubeconfig's.
/// </summary>
public sealed class KubernetesTokenReviewerTests : IAsyncLifetime
{
    private const string AgentToken = "agent-own-service-account-token";
    private readonly string _serviceAccount = Directory.CreateTempSubdirectory("serviceaccount-").FullName;
    private readonly ClusterCertificates _certificates = ClusterCertificates.Create();
    private TokenReviewServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TokenReviewServer.StartAsync(_certificates.Server);
        _server.Reviewers[AgentToken] = true;
        await File.WriteAllTextAsync(Path.Combine(_serviceAccount, "token"), AgentToken);
        await File.WriteAllTextAsync(Path.Combine(_serviceAccount, "ca.crt"), _certificates.AuthorityPem);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificates.Dispose();
        Directory.Delete(_serviceAccount, recursive: true);
    }

    [Fact]
    public async Task ReviewAsync_InClusterConnection_PostsTheTokenWithItsAudienceAndReadsTheAnswer()
    {
        using var client = InClusterClient();

        var answer = await Review(client, "valid-caller-token");

        Assert.True(answer.Authenticated);
        Assert.Equal("system:serviceaccount:fault-injection-system:fault-injection-api", answer.Username);
        Assert.Equal(["fault-injection-agent"], answer.Audiences);
        var (bearer, body) = Assert.Single(_server.Requests);
        Assert.Equal(AgentToken, bearer);
        Assert.Equal("authentication.k8s.io/v1", body.GetProperty("apiVersion").GetString());
        Assert.Equal("TokenReview", body.GetProperty("kind").GetString());
        Assert.Equal("valid-caller-token", body.GetProperty("spec").GetProperty("token").GetString());
        Assert.Equal("fault-injection-agent", Assert.Single(body.GetProperty("spec").GetProperty("audiences").EnumerateArray()).GetString());
        Assert.False(body.TryGetProperty("status", out _));
    }

    [Fact]
    public async Task ReviewAsync_TokenNotAuthenticated_AnswersWithTheServersError()
    {
        using var client = InClusterClient();

        var answer = await Review(client, "someone-elses-token");

        Assert.False(answer.Authenticated);
        Assert.Null(answer.Username);
        Assert.Equal("invalid bearer token", answer.Error);
    }

    [Fact]
    public async Task ReviewAsync_ServiceAccountTokenRotated_PresentsTheNewTokenAtTheNextReview()
    {
        using var client = InClusterClient();
        await Review(client, "valid-caller-token");

        _server.Reviewers["rotated-agent-token"] = true;
        await File.WriteAllTextAsync(Path.Combine(_serviceAccount, "token"), "rotated-agent-token\n");
        var answer = await Review(client, "valid-caller-token");

        Assert.True(answer.Authenticated);
        Assert.Equal([AgentToken, "rotated-agent-token"], _server.Requests.Select(r => r.Bearer));
    }

    [Fact]
    public async Task ReviewAsync_AgentNotAllowedToReview_ThrowsWithTheApiServersStatusMessage()
    {
        _server.Reviewers[AgentToken] = false;
        using var client = InClusterClient();

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => Review(client, "valid-caller-token"));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.StartsWith("the Kubernetes API answered 403 Forbidden: tokenreviews.authentication.k8s.io is forbidden", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewAsync_ServerCertificateFromAnotherAuthority_RefusedBeforeAnyTokenIsSent()
    {
        using var other = ClusterCertificates.Create("another-cluster-ca");
        await File.WriteAllTextAsync(Path.Combine(_serviceAccount, "ca.crt"), other.AuthorityPem);
        using var client = InClusterClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => Review(client, "valid-caller-token"));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ReviewAsync_KubeconfigWithCertificateAuthorityAndTokenFile_Reviews()
    {
        var kubeconfig = Path.Combine(_serviceAccount, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            current-context: c
            clusters:
            - name: k
              cluster:
                server: {_server.Address.ToString().TrimEnd('/')}
                certificate-authority: ca.crt
            contexts:
            - name: c
              context: {"{"}cluster: k, user: u{"}"}
            users:
            - name: u
              user:
                tokenFile: token
            """);
        using var client = new KubernetesTokenReviewer(Options.Create(new TokenReviewOptions { Kubeconfig = kubeconfig }));

        var answer = await Review(client, "valid-caller-token");

        Assert.True(answer.Authenticated);
        Assert.Equal(AgentToken, Assert.Single(_server.Requests).Bearer);
    }

    [Theory]
    [InlineData("", "6443", "KUBERNETES_SERVICE_HOST / KUBERNETES_SERVICE_PORT are not a host and port")]
    [InlineData("10.96.0.1", "https", "KUBERNETES_SERVICE_HOST / KUBERNETES_SERVICE_PORT are not a host and port")]
    [InlineData("10.96.0.1", "443", "must both exist")]
    public void InCluster_NotInAPod_RefusedNamingWhatIsMissing(string host, string port, string expected)
    {
        var empty = Directory.CreateTempSubdirectory("no-serviceaccount-").FullName;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => KubernetesApiConnection.InCluster(host, port, empty));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void InCluster_Ipv6ServiceHost_Bracketed()
    {
        var connection = KubernetesApiConnection.InCluster("fd00::1", "443", _serviceAccount);

        Assert.Equal("https://[fd00::1]/", connection.Server.ToString());
    }

    private static Task<TokenReviewAnswer> Review(KubernetesTokenReviewer reviewer, string token) =>
        reviewer.ReviewAsync(token, "fault-injection-agent", CancellationToken.None);

    private KubernetesTokenReviewer InClusterClient() =>
        new(KubernetesApiConnection.InCluster("127.0.0.1", _server.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), _serviceAccount));
}
