using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultApi.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Bearer tokens from <c>Auth:TokenFile</c> (settings <c>Auth</c>, validated at start; the file read at start); every
    /// API route requires them (health, ready, metrics, OpenAPI excepted).
    /// </summary>
    public static IServiceCollection AddApiAuthentication(this IServiceCollection services)
    {
        services.AddOptions<ApiAuthOptions>().BindConfiguration(ApiAuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiAuthOptions>, ApiAuthOptionsValidator>());
        services.TryAddSingleton<CallerTokenStore>();
        services.AddHostedService<CallerTokensAtStart>();
        services.AddAuthentication(BearerTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenAuthenticationHandler>(BearerTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        return services;
    }
}
