using FaultAgent.Auth;
using FaultAgent.Faults;
using FaultAgent.Hosting;
using FaultAgent.Paging;
using FaultAgent.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FaultAgent.Http;

/// <summary>
/// The seed agent's routes, over plain HTTP/1.1 JSON for people on the node: GET /health (anonymous), POST /inject-xid,
/// GET /faults (<c>?active_only=&amp;limit=&amp;page_token=</c>, paged like gRPC ListFaults), GET /faults/{id},
/// DELETE /faults/{id}. Same registry and authentication as gRPC.
/// </summary>
public static class AgentHttpEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapAgentHttp(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", GetHealth).AllowAnonymous();
        // The filter as an instance: AddEndpointFilter<TFilter>() first asks ActivatorUtilities for a constructor taking an
        // EndpointFilterFactoryContext, which throws (and catches) an InvalidOperationException at every start for a
        // filter without one (BENCHMARKS.md, the agentrss section). The filter holds no state.
        var faults = endpoints.MapGroup("").RequireAuthorization().AddEndpointFilter(new FaultProblemEndpointFilter());
        faults.MapPost("/inject-xid", InjectXidAsync);
        faults.MapGet("/faults", ListFaultsAsync);
        faults.MapGet("/faults/{faultId}", GetFaultAsync);
        faults.MapDelete("/faults/{faultId}", ClearFaultAsync);
        return endpoints;
    }

    private static Results<Ok<AgentHealthHttpResponse>, ProblemHttpResult> GetHealth(FaultRegistry registry, IOptions<AgentOptions> options) =>
        registry.IsInitialized
            ? TypedResults.Ok(new AgentHealthHttpResponse("healthy", options.Value.NodeName))
            : TypedResults.Problem(detail: "The fault registry is still loading.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Starting");

    private static async Task<Ok<InjectXidHttpResponse>> InjectXidAsync(
        InjectXidHttpRequest body,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKeyHeader,
        HttpContext context,
        FaultInjectionService injection)
    {
        var violations = new List<FaultFieldViolation>();
        if (body.XidType is null)
        {
            violations.Add(new("xid_type", "is required"));
        }

        if (body.GpuId is null)
        {
            violations.Add(new("gpu_id", "is required"));
        }

        if (!string.IsNullOrEmpty(body.IdempotencyKey) && !string.IsNullOrEmpty(idempotencyKeyHeader) && body.IdempotencyKey != idempotencyKeyHeader)
        {
            violations.Add(new("idempotency_key", $"differs from the {IdempotencyKeyHeader} header"));
        }

        FaultRequestValidator.ThrowIfAny(violations);
        var result = await injection.InjectXidAsync(
            new XidInjectionRequest
            {
                FaultId = body.FaultId,
                Xid = body.XidType!.Value,
                GpuId = body.GpuId!.Value,
                Message = body.Message,
                Duration = body.Duration is { } seconds ? RequestedDuration.FromSeconds(seconds) : null,
                DryRun = body.DryRun,
                IdempotencyKey = string.IsNullOrEmpty(body.IdempotencyKey) ? idempotencyKeyHeader : body.IdempotencyKey,
                CompanionLines = body.CompanionLines,
                ProcessName = body.ProcessName,
                Pid = body.Pid ?? 0,
                Surfaces = body.Surfaces,
                DriverVersion = body.DriverVersion,
                GpuInstance = body.GpuInstance,
                ComputeInstance = body.ComputeInstance,
                Channel = body.Channel,
                PreviousXid = body.PreviousXid ?? 0,
                FallenOffBusProbe = body.FallenOffBusProbe,
                OmitCompanionRecords = body.OmitCompanionRecords,
            },
            context.User.GetFaultCaller(),
            context.RequestAborted).ConfigureAwait(false);
        // As on the API: a replay is still "injected" (it was, once), told apart by replayed: true.
        var status = result.DryRun ? "dry_run" : "injected";
        return TypedResults.Ok(new InjectXidHttpResponse(status, result.Fault.FaultId, result.Replayed, result.DryRun, FaultResource.From(result.Fault)));
    }

    private static async Task<Ok<FaultListHttpResponse>> ListFaultsAsync(
        FaultRegistry registry,
        IOptions<AgentOptions> options,
        HttpContext context,
        [FromQuery(Name = "active_only")] string? activeOnlyText,
        [FromQuery(Name = "limit")] string? limitText,
        [FromQuery(Name = "page_token")] string? pageToken)
    {
        var violations = new List<FaultFieldViolation>();
        var activeOnly = HttpQueryValues.Boolean(activeOnlyText, "active_only", violations);
        var limit = HttpQueryValues.WholeNumber(limitText, "limit", violations);
        var pageRequest = PageRequest.FromLimit(limit, pageToken, violations);
        FaultRequestValidator.ThrowIfAny(violations);
        var faults = await registry.ListAsync(activeOnly ?? false, context.RequestAborted).ConfigureAwait(false);
        var page = FaultPages.Take(faults, activeOnly ?? false, pageRequest);
        return TypedResults.Ok(new FaultListHttpResponse(options.Value.NodeName, [.. page.Items.Select(FaultResource.From)], page.NextPageToken, page.TotalSize));
    }

    private static async Task<Ok<FaultResource>> GetFaultAsync(string faultId, FaultRecordService records, HttpContext context) =>
        TypedResults.Ok(FaultResource.From(await records.GetAsync(faultId, context.RequestAborted).ConfigureAwait(false)));

    private static async Task<Ok<FaultResource>> ClearFaultAsync(string faultId, [FromQuery] string? reason, FaultRecordService records, HttpContext context) =>
        TypedResults.Ok(FaultResource.From(await records.ClearAsync(faultId, reason, context.User.GetFaultCaller(), context.RequestAborted).ConfigureAwait(false)));
}
