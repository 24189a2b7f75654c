using System.Net;
using FaultAgent.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FaultAgent.Auth;

/// <summary>
/// At start: the agent needs a readable token file holding at least one token, none of them on two lines
/// (<see cref="TokenFileParser"/>; Agent:AuthMode=TokenFile, the default), unless Agent:AllowUnauthenticated=true,
/// which is accepted only when every configured Kestrel endpoint (and <c>urls</c>) is bound to loopback.
/// </summary>
public sealed class AgentAuthenticationValidator(IConfiguration configuration) : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AllowUnauthenticated ? ValidateLoopbackOnly()
            : options.AuthMode == AgentAuthMode.TokenReview ? ValidateOptionsResult.Success // Agent:TokenReview's validator.
            : ValidateTokenFile(options.TokenFile);
    }

    private static ValidateOptionsResult ValidateTokenFile(string path)
    {
        const string Remedy = "Mount a token file (one token per line, optionally 'name:token') at Agent:TokenFile, or set Agent:AllowUnauthenticated=true with every endpoint on loopback.";
        if (string.IsNullOrWhiteSpace(path))
        {
            return ValidateOptionsResult.Fail($"Agent:TokenFile is empty. {Remedy}");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail($"Agent:TokenFile '{path}' cannot be read: {e.Message} {Remedy}");
        }

        var tokens = TokenFileParser.Parse(text, out var problems, out var repeated);
        return repeated.Count > 0
            ? ValidateOptionsResult.Fail($"Agent:TokenFile '{path}' gives a token to more than one caller ({string.Join("; ", repeated)}). Give each caller a token of its own.")
            : tokens.Count > 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Agent:TokenFile '{path}' holds no valid token{(problems.Count > 0 ? " (" + string.Join("; ", problems) + ")" : "")}. {Remedy}");
    }

    private ValidateOptionsResult ValidateLoopbackOnly()
    {
        var urls = new List<(string Setting, string Url)>();
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                urls.Add(($"Kestrel:Endpoints:{endpoint.Key}:Url", url));
            }
        }

        if (configuration["urls"] is { Length: > 0 } configuredUrls)
        {
            urls.AddRange(configuredUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => ("urls", u)));
        }

        if (urls.Count == 0 && configuration["http_ports"] is { Length: > 0 } httpPorts)
        {
            // ASPNETCORE_HTTP_PORTS binds every interface (it only applies when no endpoint is configured).
            urls.Add(("http_ports", $"http://*:{httpPorts}"));
        }

        var exposed = urls.Where(u => !IsLoopback(u.Url)).Select(u => $"{u.Setting}={u.Url}").ToList();
        return exposed.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Agent:AllowUnauthenticated=true is only allowed when every endpoint is bound to loopback, but {string.Join(", ", exposed)}. Bind them to 127.0.0.1 or configure Agent:TokenFile.");
    }

    internal static bool IsLoopback(string url)
    {
        var normalized = url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal).Replace("://+", "://wildcard.invalid", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var host = uri.Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
