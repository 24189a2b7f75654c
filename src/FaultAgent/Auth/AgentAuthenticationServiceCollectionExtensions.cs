using FaultAgent.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddSingleton<FailedReviewLimiter>();
        services.AddSingleton<ServiceAccountTokenAuthenticator>();
        // AddAuthentication without the ASP.NET Core data protection it brings along for cookie and remote sign-in
        // handlers, which the agent has none of: at every start its hosted service loaded (on a fresh pod: created and
        // wrote, unencrypted) a key ring under ~/.aspnet/DataProtection-Keys that nothing read (#14, BENCHMARKS.md).
        services.AddAuthenticationCore(o => o.DefaultScheme = BearerTokenAuthenticationHandler.SchemeName);
        services.AddWebEncoders();
        services.TryAddSingleton(TimeProvider.System);
        new AuthenticationBuilder(services)
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
