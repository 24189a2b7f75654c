using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using FaultApi.Agents;
using FaultApi.Audit;
using FaultApi.Auth;
using FaultApi.Faults;
using FaultApi.OpenApi;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Validation;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace FaultApi.Dcgm;

/// <summary>
/// DCGM as a second surface: <c>POST /api/v1/faults/gpu/inject/dcgm-field</c> (one DCGM field of one GPU, set with dcgmi
/// on the node and read back) and <c>GET /api/v1/faults/gpu/dcgm-fields</c> (the fields the agents accept). Xids reach
/// DCGM through <c>surfaces</c> on the Xid routes.
/// </summary>
public static partial class DcgmEndpoints
{
    private const int MaxFieldLength = 64;

    public static RouteGroupBuilder MapDcgmEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapApiGroup("/api/v1/faults/gpu", ApiTags.Faults);
        group.MapPost("/inject/dcgm-field", InjectFieldAsync)
            .WithName("InjectDcgmField")
            .WithSummary("Set one DCGM field of a node's GPU (injected with dcgmi, read back)")
            .WithDescription("node_name answers the fault; node_selector with count answers every node's fault. DCGM's own failures are 502 (504 for its timeout) naming the reason and host engine.")
            .ProducesEither<FaultResource, MultiInjectionResource>()
            .ProducesProblems(400, 404, 409, 413, 415, 423, 429, 502, 503, 504)
            .AddEndpointFilter<AuditEndpointFilter>();
        group.MapGet("/dcgm-fields", GetCatalogAsync).WithName("GetDcgmFields")
            .WithSummary("List the DCGM fields the agents accept")
            .ProducesProblems(502, 503, 504);
        return group;
    }

    internal static async Task<IResult> InjectFieldAsync(
        [FromBody] InjectDcgmFieldBody body,
        [FromHeader(Name = IdempotencyKeys.HeaderName)] string? idempotencyKey,
        ClaimsPrincipal user,
        FaultInjector injector,
        IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(body);

        // Not the client's connection: a write on its way to an agent runs to its answer, which is audited.
        var cancellationToken = lifetime.ApplicationStopping;
        var errors = new RequestErrors();
        var target = ApiInputRules.Target(errors, body);
        var gpuId = ApiInputRules.Range(errors, "gpu_id", body.GpuId, 0, ApiInputRules.MaxGpuId, required: true);
        var field = ApiInputRules.Text(errors, "field", body.Field, MaxFieldLength, required: true);
        if (field is not null && !FieldReference().IsMatch(field))
        {
            errors.Add("field", "must be a DCGM field id or name: digits, letters and '_' (GET /api/v1/faults/gpu/dcgm-fields lists them)");
        }

        var value = ApiInputRules.Range(errors, "value", body.Value, long.MinValue, long.MaxValue, required: true);
        var duration = ApiInputRules.Duration(errors, "duration", body.Duration);
        var key = ApiInputRules.IdempotencyKey(errors, IdempotencyKeys.HeaderName, idempotencyKey) ?? IdempotencyKeys.NewRequestKey();
        errors.ThrowIfAny();
        var caller = CallerIdentity.NameOf(user);
        // As the Xid and SXid routes: the blast-radius ledger keeps the node only as long as the fault lasts, and a
        // multi-node request under the caller's Idempotency-Key records its nodes, so a retry repeats them (or is a 409).
        var faults = await injector.InjectAsync(target! with { Duration = duration, CallerKey = idempotencyKey is not null }, caller, key, new DcgmFieldInjection(
            new DcgmInjectFieldRequest
            {
                GpuId = gpuId!.Value,
                Field = field,
                Value = value!.Value.ToString(CultureInfo.InvariantCulture),
                Duration = duration is { } d ? Duration.FromTimeSpan(d) : null,
                DryRun = body.DryRun,
            }), cancellationToken).ConfigureAwait(false);
        return FaultEndpoints.Result(target!, faults);
    }

    internal static async Task<Ok<DcgmFieldCatalogResource>> GetCatalogAsync(ClaimsPrincipal user, AgentRouter router, AgentGateway agents, CancellationToken cancellationToken)
    {
        var all = router.All();
        if (all.Count == 0)
        {
            throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "No agent", "No GPU node has a ready fault agent to read the DCGM field catalog from.");
        }

        ApiProblemException? last = null;
        foreach (var agent in all)
        {
            try
            {
                var catalog = await agents.GetDcgmFieldCatalogAsync(agent, CallerIdentity.NameOf(user), cancellationToken).ConfigureAwait(false);
                return TypedResults.Ok(new DcgmFieldCatalogResource(agent.NodeName, [.. catalog.Fields.Select(DcgmFieldTypeResource.From)]));
            }
            catch (ApiProblemException problem)
            {
                last = problem;
            }
        }

        throw last!;
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldReference();
}
