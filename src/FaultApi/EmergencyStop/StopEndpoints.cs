using System.Security.Claims;
using FaultApi.Audit;
using FaultApi.Auth;
using FaultApi.OpenApi;
using FaultApi.Problems;
using FaultApi.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace FaultApi.EmergencyStop;

/// <summary><c>/api/v1/stop</c>: engage (POST), release (DELETE), show with each agent's acknowledgement (GET).</summary>
public static class StopEndpoints
{
    public const int MaxReasonLength = 1024;

    public static RouteGroupBuilder MapStopEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapApiGroup("/api/v1/stop", ApiTags.EmergencyStop);
        group.MapGet("/", GetAsync).WithName("GetEmergencyStop")
            .WithSummary("Show the emergency stop and each agent's acknowledgement")
            .ProducesProblems(503);
        group.MapPost("/", EngageAsync).WithName("EngageEmergencyStop")
            .WithSummary("Engage the emergency stop: every agent refuses injections and expires its active faults")
            .ProducesProblems(400, 409, 413, 415, 503);
        group.MapDelete("/", ReleaseAsync).WithName("ReleaseEmergencyStop")
            .WithSummary("Release the emergency stop")
            .ProducesProblems(400, 409, 503);
        return group;
    }

    internal static async Task<Ok<StopResource>> GetAsync(EmergencyStopCoordinator coordinator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await coordinator.DescribeAsync(cancellationToken).ConfigureAwait(false));

    internal static Task<Ok<StopResource>> EngageAsync([FromBody] StopBody body, ClaimsPrincipal user, EmergencyStopCoordinator coordinator, IAuditLog audit, CancellationToken cancellationToken) =>
        ChangeAsync(engage: true, body?.Reason, user, coordinator, audit, cancellationToken);

    internal static Task<Ok<StopResource>> ReleaseAsync(ClaimsPrincipal user, EmergencyStopCoordinator coordinator, IAuditLog audit, CancellationToken cancellationToken, [FromQuery(Name = "reason")] string? reason = null) =>
        ChangeAsync(engage: false, reason, user, coordinator, audit, cancellationToken);

    private static async Task<Ok<StopResource>> ChangeAsync(bool engage, string? reason, ClaimsPrincipal user, EmergencyStopCoordinator coordinator, IAuditLog audit, CancellationToken cancellationToken)
    {
        var caller = CallerIdentity.NameOf(user);
        var action = engage ? "stop" : "release";
        try
        {
            var errors = new RequestErrors();
            reason = ApiInputRules.Text(errors, "reason", reason?.Trim(), MaxReasonLength) ?? "";
            if (engage && reason.Length == 0 && errors.Count == 0)
            {
                errors.Add("reason", "is required: say why the cluster is stopped");
            }

            errors.ThrowIfAny();
            var result = await coordinator.ChangeAsync(engage, caller, reason, cancellationToken).ConfigureAwait(false);
            var missed = result.Agents.Where(a => !a.Acknowledged).Select(a => a.NodeName).ToList();
            var detail = reason
                + (missed.Count == 0 ? "" : $" (not yet acknowledged by {string.Join(',', missed)}; retried)")
                + (result.Expiring.Count == 0 ? "" : $" (still expiring active faults on {string.Join(',', result.Expiring)}; the agents retry)");
            audit.Write(new AuditEvent(action, caller, "cluster", "ok", StatusCodes.Status200OK, "", detail));
            return TypedResults.Ok(result);
        }
        catch (ApiProblemException problem)
        {
            audit.Write(new AuditEvent(action, caller, "cluster", problem.Title, problem.Status, "", problem.Message));
            throw;
        }
    }
}
