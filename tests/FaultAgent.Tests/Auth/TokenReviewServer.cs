using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FaultAgent.Tests.Auth;

/// <summary>
/// A Kubernetes API server's TokenReview endpoint on 127.0.0.1 (real Kestrel, HTTPS with a <see cref="ClusterCertificates"/>
/// server certificate, or plain HTTP when none is given): callers presenting an allowed bearer token get a review (<see cref="Reviews"/> decides the status),
/// others 403 with a Status, as RBAC answers.
/// </summary>
public sealed class TokenReviewServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TokenReviewServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>Bearer tokens allowed to create TokenReviews.</summary>
    public ConcurrentDictionary<string, bool> Reviewers { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request's bearer token and body, in order.</summary>
    public ConcurrentQueue<(string? Bearer, JsonElement Body)> Requests { get; } = new();

    public static async Task<TokenReviewServer> StartAsync(X509Certificate2? certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var server = new TokenReviewServer(app);
        app.MapPost("/apis/authentication.k8s.io/v1/tokenreviews", server.ReviewAsync);
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        server.Address = certificate is null ? address : new UriBuilder(address) { Scheme = Uri.UriSchemeHttps }.Uri;
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ReviewAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
        var body = (await JsonDocument.ParseAsync(context.Request.Body)).RootElement.Clone();
        Requests.Enqueue((bearer, body));
        if (bearer is null || !Reviewers.GetValueOrDefault(bearer))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
            {
                ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "Forbidden", ["code"] = 403,
                ["message"] = "tokenreviews.authentication.k8s.io is forbidden: User \"system:anonymous\" cannot create resource \"tokenreviews\"",
            });
            return;
        }

        var token = body.GetProperty("spec").GetProperty("token").GetString();
        var audiences = body.GetProperty("spec").GetProperty("audiences").EnumerateArray().Select(a => a.GetString()).ToList();
        var authenticated = token == "valid-caller-token";
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object?>
        {
            ["kind"] = "TokenReview", ["apiVersion"] = "authentication.k8s.io/v1",
            ["status"] = authenticated
                ? new Dictionary<string, object> { ["authenticated"] = true, ["user"] = new Dictionary<string, string> { ["username"] = "system:serviceaccount:fault-injection-system:fault-injection-api" }, ["audiences"] = audiences }
                : new Dictionary<string, object> { ["error"] = "invalid bearer token" },
        });
    }
}
