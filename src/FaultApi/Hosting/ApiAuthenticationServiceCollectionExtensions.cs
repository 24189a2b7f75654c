using FaultApi.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultApi.Hosting;

public static class ApiAuthenticationServiceCollectionExtensions
{
    /// <summary>Bearer tokens from <c>Auth:TokenFile</c>; every API route requires them (health, ready, OpenAPI excepted).</summary>
    public static IServiceCollection AddApiAuthentication(this IServiceCollection services)
    {
        services.TryAddSingleton<CallerTokenStore>();
        services.AddHostedService<CallerTokensAtStart>();
        services.AddAuthentication(BearerTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenAuthenticationHandler>(BearerTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        return services;
    }
}
