using FaultAgent.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FaultAgent.Auth;

public static class AgentAuthenticationServiceCollectionExtensions
{
    /// <summary>
    /// Bearer tokens for every endpoint but health — from Agent:TokenFile, or (Agent:AuthMode=TokenReview) Kubernetes
    /// ServiceAccount tokens reviewed by the API server against Agent:TokenReview:*.
    /// </summary>
    public static IServiceCollection AddAgentAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<BearerTokenStore>();
        services.AddOptions<TokenReviewOptions>().BindConfiguration(TokenReviewOptions.SectionName).ValidateAttributes<TokenReviewOptions, TokenReviewOptionsAttributeValidator>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenReviewOptions>, TokenReviewOptionsValidator>();
        services.AddSingleton<ITokenReviewer, KubernetesTokenReviewer>();
        services.AddSingleton<ServiceAccountTokenAuthenticator>();
        services.AddAuthentication(BearerTokenAuthenticationHandler.SchemeName)
            .AddScheme<BearerTokenAuthenticationOptions, BearerTokenAuthenticationHandler>(BearerTokenAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddOptions<BearerTokenAuthenticationOptions>(BearerTokenAuthenticationHandler.SchemeName)
            .Configure<IOptions<AgentOptions>>((scheme, agent) =>
            {
                scheme.AllowUnauthenticated = agent.Value.AllowUnauthenticated;
                scheme.Mode = agent.Value.AuthMode;
            });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(BearerTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        return services;
    }
}
