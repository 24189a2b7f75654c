using System.Security.Claims;
using FaultApi.Agents;
using FaultApi.Auth;
using FaultApi.OpenApi;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace FaultApi.Xids;

/// <summary><c>GET /api/v1/faults/gpu/xid-types</c>: the Xid and SXid catalog, from the first agent that answers.</summary>
public static class XidTypeEndpoints
{
    public static RouteHandlerBuilder MapXidTypeEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/v1/faults/gpu/xid-types", GetCatalogAsync)
            .WithName("GetXidTypes")
            .WithSummary("List the Xid and SXid catalog (names, messages, severities, recommended actions)")
            .WithTags(ApiTags.Faults)
            .RequireAuthorization()
            .AddEndpointFilter<ApiProblemEndpointFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblems(502, 503, 504);

    internal static async Task<Ok<XidCatalogResource>> GetCatalogAsync(ClaimsPrincipal user, AgentRouter router, AgentGateway agents, CancellationToken cancellationToken)
    {
        var all = router.All();
        if (all.Count == 0)
        {
            throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "No agent", "No GPU node has a ready fault agent to read the catalog from.");
        }

        ApiProblemException? last = null;
        foreach (var agent in all)
        {
            try
            {
                var catalog = await agents.GetCatalogAsync(agent, CallerIdentity.NameOf(user), cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok(new XidCatalogResource(
                    agent.NodeName,
                    [.. catalog.Xids.Select(x => new XidTypeResource(x.Xid, x.Name, x.Description, x.DefaultMessage, x.Severity, x.RecommendedAction, x.Level) { Mnemonic = x.Mnemonic, NameSource = x.NameSource })],
                    [.. catalog.Sxids.Select(s => new SxidTypeResource(s.Sxid, s.Name, s.Fatal, s.DefaultMessage, s.RecommendedAction) { ErrorClass = s.ErrorClass })]));
            }
            catch (ApiProblemException problem)
            {
                last = problem;
            }
        }

        throw last!;
    }
}
