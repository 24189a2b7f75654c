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
            if (e is InjectionLimitExceededException limited)
            {
                context.HttpContext.Response.Headers.RetryAfter = limited.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return problem;
        }
    }
}
