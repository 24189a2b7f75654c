using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace FaultApi.Faults;

/// <summary>
/// Puts the benchmark-only <see cref="InjectionProfile"/>'s start and end around the whole pipeline (before the exception
/// handler, authentication and routing), registered only when the profile is on.
/// </summary>
public sealed class InjectionProfileStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            InjectionProfile.Begin();
            try
            {
                await nextMiddleware(context).ConfigureAwait(false);
            }
            finally
            {
                InjectionProfile.Complete();
            }
        });
        next(app);
    };
}
