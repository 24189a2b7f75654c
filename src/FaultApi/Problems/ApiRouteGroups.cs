using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FaultApi.Problems;

public static class ApiRouteGroups
{
    /// <summary>
    /// A group of the API's routes under <paramref name="prefix"/>: a bearer token is required (401 otherwise) and every
    /// error is answered as problem details. One place, so no feature's routes can go out unauthenticated.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder endpoints, string prefix, string tag) =>
        endpoints.MapGroup(prefix)
            .WithTags(tag)
            .RequireAuthorization()
            .AddEndpointFilter<ApiProblemEndpointFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
}
