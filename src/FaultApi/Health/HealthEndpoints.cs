using FaultApi.OpenApi;
using FaultApi.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace FaultApi.Health;

/// <summary><c>/health</c> (liveness) and <c>/ready</c> (ready once the routing cache first synced); no authentication.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", () => TypedResults.Ok(new HealthResource("healthy"))).WithName("GetHealth")
            .WithSummary("Liveness: the API process answers").WithTags(ApiTags.Health).AllowAnonymous();
        endpoints.MapGet("/ready", Ready).WithName("GetReadiness")
            .WithSummary("Readiness: the routing cache has synced the agent pods").WithTags(ApiTags.Health).AllowAnonymous()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    internal static Results<Ok<HealthResource>, ProblemHttpResult> Ready(IAgentDirectory directory) =>
        directory.IsReady
            ? TypedResults.Ok(new HealthResource("ready", directory.GetAll().Count))
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: "The routing cache has not synced the agent pods yet.");
}
