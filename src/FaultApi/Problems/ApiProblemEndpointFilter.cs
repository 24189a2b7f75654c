using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FaultApi.Problems;

/// <summary>Turns an <see cref="ApiProblemException"/> thrown by an endpoint into RFC 7807 problem details.</summary>
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
        details.Title = problem.Title;
        details.Detail = problem.Message;
        details.Instance = instance;
        foreach (var (key, value) in problem.Extensions)
        {
            details.Extensions[key] = value;
        }

        return TypedResults.Problem(details);
    }
}
