using Microsoft.Kiota.Abstractions.Authentication;

namespace KiotaClientTests;

/// <summary>The caller token (FAULT_INJECTION_TOKEN) for the API's host only, as the document's bearer scheme asks.</summary>
public sealed class StaticTokenProvider(string token, string host) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new([host]);

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(AllowedHostsValidator.IsUrlHostValid(uri) ? token : "");
}
