using FaultAgent.Injection;
using FaultAgent.Limits;

namespace FaultAgent.Http;

/// <summary>Turns the domain's exceptions into problem details for the agent's HTTP routes.</summary>
public sealed class FaultProblemEndpointFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (FaultProblemResults.ToProblem(e) is { } problem)
        {
            long? retryAfter = e switch
            {
                InjectionLimitExceededException limited => limited.RetryAfterSeconds,
                BoardInfoPendingException pending => pending.RetryAfterSeconds,
                _ => null,
            };
            if (retryAfter is { } retryAfterSeconds)
            {
                context.HttpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return problem;
        }
    }
}
