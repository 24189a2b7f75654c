using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FaultApi.Problems;

/// <summary>Turns an <see cref="ApiProblemException"/> thrown by an endpoint into RFC 7807 problem details (and its <c>Retry-After</c> header).</summary>
public sealed class ApiProblemEndpointFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ApiProblemException problem)
        {
            if (problem.RetryAfter is { } retryAfter)
            {
                context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return ToResult(problem, context.HttpContext.Request.Path);
        }
    }

    public static ProblemHttpResult ToResult(ApiProblemException problem, string? instance)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ProblemDetails details = problem.Errors is { Count: > 0 } errors
            ? new HttpValidationProblemDetails(errors)
            : new ProblemDetails();
        details.Status = problem.Status;
        if (problem.Status == StatusCodes.Status423Locked)
        {
            details.Type = Hosting.ApiHttpServiceCollectionExtensions.LockedProblemType;
        }

        details.Title = problem.Title;
        details.Detail = problem.Message;
        details.Instance = instance;
        if (problem.Type is not null)
        {
            details.Type = problem.Type;
        }

        foreach (var (key, value) in problem.Extensions)
        {
            details.Extensions[key] = value;
        }

        return TypedResults.Problem(details);
    }

    /// <summary>A Retry-After delay in whole seconds, rounded up, at least 1.</summary>
    public static long RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
}
