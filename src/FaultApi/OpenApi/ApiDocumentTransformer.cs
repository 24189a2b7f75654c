using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FaultApi.OpenApi;

/// <summary>
/// The document's own parts: title, the product's version, description and license (Apache-2.0, as the packages and
/// LICENSE say), every tag with its description (<see cref="ApiTags"/>), and the server address without the trailing
/// slash ASP.NET Core writes (a client appends paths that start with '/').
/// </summary>
public sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string Title = "GPU fault injection API";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo
        {
            Title = Title,
            Version = ProductVersion(),
            Description = "Inject NVIDIA GPU driver faults (Xid, SXid, DCGM fields) on Kubernetes GPU nodes through each node's fault agent, "
                + "run drills that check a health monitor's reaction, and collect nvidia-bug-report archives. Every error is RFC 7807 problem details.",
            License = new OpenApiLicense { Name = "Apache-2.0", Identifier = "Apache-2.0" },
        };
        document.Tags = new HashSet<OpenApiTag>([.. ApiTags.All.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description })]);
        foreach (var server in document.Servers ?? [])
        {
            if (server.Url is { Length: > 1 } url && url.EndsWith('/'))
            {
                server.Url = url.TrimEnd('/');
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The product's version (Directory.Build.props), without the source revision the SDK appends.</summary>
    private static string ProductVersion()
    {
        var version = typeof(ApiDocumentTransformer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
