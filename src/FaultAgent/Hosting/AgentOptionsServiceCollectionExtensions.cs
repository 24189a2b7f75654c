using FaultAgent.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Hosting;

public static class AgentOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="AgentOptions"/> from <c>Agent</c> (env <c>NODE_NAME</c> fills Agent:NodeName when unset), validates
    /// them at start (a bad setting, or no usable token file, stops the process with a clear message), and registers the
    /// system clock.
    /// </summary>
    public static IHostApplicationBuilder AddAgentOptions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrEmpty(builder.Configuration[$"{AgentOptions.SectionName}:{nameof(AgentOptions.NodeName)}"])
            && builder.Configuration["NODE_NAME"] is { Length: > 0 } nodeName)
        {
            builder.Configuration.AddInMemoryCollection([new($"{AgentOptions.SectionName}:{nameof(AgentOptions.NodeName)}", nodeName)]);
        }

        builder.Services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.SectionName)
            .ValidateAttributes<AgentOptions, AgentOptionsAttributeValidator>()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AgentOptions>, AgentAuthenticationValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
