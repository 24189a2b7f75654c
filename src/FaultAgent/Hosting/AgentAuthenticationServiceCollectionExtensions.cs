using FaultAgent.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FaultAgent.Hosting;

public static class AgentAuthenticationServiceCollectionExtensions
{
    /// <summary>Bearer tokens from Agent:TokenFile for every endpoint but health; RFC 7807 problem details for HTTP errors.</summary>
    public static IServiceCollection AddAgentAuthentication(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddSingleton<BearerTokenStore>();
        services.AddAuthentication(BearerTokenAuthenticationHandler.SchemeName)
            .AddScheme<BearerTokenAuthenticationOptions, BearerTokenAuthenticationHandler>(BearerTokenAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddOptions<BearerTokenAuthenticationOptions>(BearerTokenAuthenticationHandler.SchemeName)
            .Configure<IOptions<AgentOptions>>((scheme, agent) => scheme.AllowUnauthenticated = agent.Value.AllowUnauthenticated);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(BearerTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        return services;
    }
}
