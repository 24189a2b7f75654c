using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FaultAgent.Auth;

/// <summary>
/// Reads what the agent needs from a kubeconfig (<c>Agent:TokenReview:Kubeconfig</c>): the current context's cluster
/// (<c>server</c>, <c>certificate-authority</c> / <c>-data</c>; <c>insecure-skip-tls-verify</c> is refused) and user
/// (<c>token</c>, <c>tokenFile</c>, or <c>client-certificate</c> / <c>-data</c> with <c>client-key</c> / <c>-data</c>).
/// Relative paths are read from the kubeconfig's directory, as kubectl reads them. A user that authenticates another
/// way (<c>exec</c> plugins, <c>auth-provider</c>, basic auth) is refused with a message naming it: the agent runs no
/// plugins.
/// </summary>
public static class KubeconfigReader
{
    /// <exception cref="KubeconfigException">The file cannot be read or used; the message says why.</exception>
    public static KubernetesApiConnection Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException($"Kubeconfig {path} cannot be read: {e.Message}", e);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        try
        {
            return Parse(text, directory, path);
        }
        catch (YamlException e)
        {
            throw new KubeconfigException($"Kubeconfig {path} is not YAML: {e.Message}", e);
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException($"Kubeconfig {path}: {e.Message}", e);
        }
    }

    private static KubernetesApiConnection Parse(string text, string directory, string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new KubeconfigException($"Kubeconfig {path} is not a kubeconfig (no mapping at its top).");
        }

        var contextName = Scalar(root, "current-context")
            ?? throw new KubeconfigException($"Kubeconfig {path} has no current-context.");
        var context = Named(root, "contexts", contextName, "context", path);
        var clusterName = Scalar(context, "cluster") ?? throw new KubeconfigException($"Kubeconfig {path}: context '{contextName}' names no cluster.");
        var userName = Scalar(context, "user") ?? throw new KubeconfigException($"Kubeconfig {path}: context '{contextName}' names no user.");
        var cluster = Named(root, "clusters", clusterName, "cluster", path);
        var user = Named(root, "users", userName, "user", path);

        var serverText = Scalar(cluster, "server");
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw new KubeconfigException($"Kubeconfig {path}: cluster '{clusterName}' has no http(s) server address ('{serverText}').");
        }

        if (string.Equals(Scalar(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase))
        {
            // The review decides who may inject: an API server whose identity is not checked could accept any token.
            throw new KubeconfigException($"Kubeconfig {path}: cluster '{clusterName}' sets insecure-skip-tls-verify; the agent always checks the API server's certificate (give certificate-authority or certificate-authority-data).");
        }

        var roots = new X509Certificate2Collection();
        if (Scalar(cluster, "certificate-authority-data") is { } caData)
        {
            roots.ImportFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(caData)));
        }
        else if (Scalar(cluster, "certificate-authority") is { } caFile)
        {
            roots.ImportFromPemFile(Path.Combine(directory, caFile));
        }

        foreach (var unsupported in (string[])["exec", "auth-provider", "username", "password"])
        {
            if (Child(user, unsupported) is not null)
            {
                throw new KubeconfigException($"Kubeconfig {path}: user '{userName}' authenticates with '{unsupported}', which the agent does not do; give it a token, tokenFile or client certificate.");
            }
        }

        var token = Scalar(user, "token");
        var tokenFile = Scalar(user, "tokenFile") is { } file ? Path.Combine(directory, file) : null;
        var certificate = ClientCertificate(user, directory);
        if (token is null && tokenFile is null && certificate is null)
        {
            throw new KubeconfigException($"Kubeconfig {path}: user '{userName}' has no token, tokenFile or client certificate.");
        }

        return new KubernetesApiConnection(server, roots, token, tokenFile, certificate);
    }

    private static X509Certificate2? ClientCertificate(YamlMappingNode user, string directory)
    {
        var certificate = Scalar(user, "client-certificate-data") is { } certData
            ? Encoding.UTF8.GetString(Convert.FromBase64String(certData))
            : Scalar(user, "client-certificate") is { } certFile ? File.ReadAllText(Path.Combine(directory, certFile)) : null;
        var key = Scalar(user, "client-key-data") is { } keyData
            ? Encoding.UTF8.GetString(Convert.FromBase64String(keyData))
            : Scalar(user, "client-key") is { } keyFile ? File.ReadAllText(Path.Combine(directory, keyFile)) : null;
        if (certificate is null && key is null)
        {
            return null;
        }

        if (certificate is null || key is null)
        {
            throw new FormatException("a client certificate needs both client-certificate(-data) and client-key(-data)");
        }

        return X509Certificate2.CreateFromPem(certificate, key);
    }

    private static YamlMappingNode Named(YamlMappingNode root, string listKey, string name, string itemKey, string path)
    {
        if (Child(root, listKey) is YamlSequenceNode list)
        {
            foreach (var entry in list.Children.OfType<YamlMappingNode>())
            {
                if (Scalar(entry, "name") == name)
                {
                    return Child(entry, itemKey) as YamlMappingNode
                        ?? throw new KubeconfigException($"Kubeconfig {path}: {listKey} entry '{name}' has no {itemKey}.");
                }
            }
        }

        throw new KubeconfigException($"Kubeconfig {path}: no {listKey} entry named '{name}'.");
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) =>
        Child(node, key) is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;
}
