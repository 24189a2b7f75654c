using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FaultAgent.Auth;

namespace FaultAgent.Tests.Auth;

public sealed class KubeconfigReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Read_CurrentContextWithInlineToken_TakesItsClusterAndUser()
    {
        var path = Write("""
            apiVersion: v1
            kind: Config
            current-context: second
            clusters:
            - name: one
              cluster: {server: "https://10.0.0.1:6443"}
            - name: two
              cluster: {server: "https://10.0.0.2:6443"}
            contexts:
            - name: first
              context: {cluster: one, user: alice}
            - name: second
              context: {cluster: two, user: bob}
            users:
            - name: alice
              user: {token: alice-token}
            - name: bob
              user: {token: bob-token}
            """);

        var connection = KubeconfigReader.Read(path);

        Assert.Equal(new Uri("https://10.0.0.2:6443"), connection.Server);
        Assert.Equal("bob-token", connection.Token);
        Assert.Null(connection.TokenFile);
        Assert.Empty(connection.TrustedRoots);
    }

    [Fact]
    public async Task Read_TokenFileAndCertificateAuthorityRelative_ReadFromTheKubeconfigsDirectoryAndReReadEachTime()
    {
        using var certificates = ClusterCertificates.Create();
        await File.WriteAllTextAsync(Path.Combine(_directory, "ca.pem"), certificates.AuthorityPem);
        await File.WriteAllTextAsync(Path.Combine(_directory, "token"), "first-token\n");
        var path = Write(Config("certificate-authority: ca.pem", "tokenFile: token"));

        var connection = KubeconfigReader.Read(path);

        Assert.Equal(certificates.Authority.Thumbprint, Assert.Single(connection.TrustedRoots).Thumbprint);
        Assert.Equal("first-token", await connection.ReadTokenAsync(CancellationToken.None));
        await File.WriteAllTextAsync(Path.Combine(_directory, "token"), "rotated-token\n");
        Assert.Equal("rotated-token", await connection.ReadTokenAsync(CancellationToken.None));
    }

    [Fact]
    public void Read_CertificateAuthorityDataAndClientCertificateData_DecodedWithTheKey()
    {
        using var certificates = ClusterCertificates.Create();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = new CertificateRequest("CN=system:node:gpu-node-001", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Write(Config(
            $"certificate-authority-data: {Base64(certificates.AuthorityPem)}",
            $"client-certificate-data: {Base64(client.ExportCertificatePem())}\n    client-key-data: {Base64(key.ExportPkcs8PrivateKeyPem())}"));

        var connection = KubeconfigReader.Read(path);

        Assert.Equal(certificates.Authority.Thumbprint, Assert.Single(connection.TrustedRoots).Thumbprint);
        Assert.NotNull(connection.ClientCertificate);
        Assert.True(connection.ClientCertificate.HasPrivateKey);
        Assert.Equal(client.Thumbprint, connection.ClientCertificate.Thumbprint);
    }

    [Theory]
    [InlineData("exec: {command: aws, apiVersion: client.authentication.k8s.io/v1}", "authenticates with 'exec'")]
    [InlineData("auth-provider: {name: gcp}", "authenticates with 'auth-provider'")]
    [InlineData("username: admin\n    password: secret", "authenticates with 'username'")]
    [InlineData("{}", "has no token, tokenFile or client certificate")]
    [InlineData("client-certificate-data: bm90IGEgY2VydA==", "needs both client-certificate(-data) and client-key(-data)")]
    public void Read_UserTheAgentCannotAuthenticateAs_RefusedNamingWhy(string user, string expected)
    {
        var path = Write(Config("", user));

        var error = Assert.Throws<KubeconfigException>(() => KubeconfigReader.Read(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("current-context: missing\ncontexts: []\n", "no contexts entry named 'missing'")]
    [InlineData("clusters: []\n", "has no current-context")]
    [InlineData("- just a list\n", "not a kubeconfig")]
    [InlineData("current-context: [unclosed\n", "is not YAML")]
    public void Read_NotAUsableKubeconfig_RefusedNamingWhy(string text, string expected)
    {
        var path = Write(text);

        var error = Assert.Throws<KubeconfigException>(() => KubeconfigReader.Read(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InsecureSkipTlsVerify_Refused()
    {
        var path = Write(Config("insecure-skip-tls-verify: true", "token: t"));

        var error = Assert.Throws<KubeconfigException>(() => KubeconfigReader.Read(path));

        Assert.Contains("always checks the API server's certificate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://10.0.0.1")]
    [InlineData("10.0.0.1:6443")]
    public void Read_ServerNotHttp_Refused(string server)
    {
        var path = Write(Config("", "token: t", server));

        var error = Assert.Throws<KubeconfigException>(() => KubeconfigReader.Read(path));

        Assert.Contains("has no http(s) server address", error.Message, StringComparison.Ordinal);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Config(string clusterExtra, string user, string server = "https://127.0.0.1:6443") => $"""
        apiVersion: v1
        kind: Config
        current-context: c
        clusters:
        - name: k
          cluster:
            server: {server}
            {clusterExtra}
        contexts:
        - name: c
          context: {"{"}cluster: k, user: u{"}"}
        users:
        - name: u
          user:
            {user}
        """;

    private string Write(string text)
    {
        var path = Path.Combine(_directory, $"kubeconfig-{Guid.NewGuid():N}");
        File.WriteAllText(path, text);
        return path;
    }
}
