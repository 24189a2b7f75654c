using System.Security.Claims;
using FaultApi.Agents;
using FaultApi.Audit;
using FaultApi.Auth;
using FaultApi.BugReports;
using FaultApi.OpenApi;
using FaultApi.Paging;
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

namespace FaultApi.Faults;

/// <summary>The <c>/api/v1/faults</c> routes: inject (Xid, SXid), list, get, clear/recover.</summary>
public static class FaultEndpoints
{
    public static RouteGroupBuilder MapFaultEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapApiGroup("/api/v1/faults", ApiTags.Faults);

        // An injection: its body (400, 413, 415), the node (404 unknown, 503 no ready agent), the selector and the guards
        // (409 not enough nodes, blast radius, fault id taken; 423 emergency stop; 429 a node's limits), the agent (502
        // refused the API's credential, 503 unavailable, 504 timeout; 500 when the write's outcome is unknown or partial).
        int[] injectProblems = [400, 404, 409, 413, 415, 423, 429, 500, 502, 503, 504];
        group.MapPost("/gpu/inject/xid-{xid}", InjectXidAsync).WithName("InjectXid")
            .WithSummary("Inject an NVIDIA driver Xid on a node's GPU")
            .WithDescription("Writes the driver's Xid line (with its companion records) into the node's kernel log, and onto DCGM with surfaces. node_name answers the fault; node_selector with count answers every node's fault.")
            .ProducesEither<FaultResource, MultiInjectionResource>().ProducesProblems(injectProblems).AddEndpointFilter<AuditEndpointFilter>();
        group.MapPost("/gpu/inject/sxid-{sxid}", InjectSxidAsync).WithName("InjectSxid")
            .WithSummary("Inject an NVSwitch SXid on a node's NVSwitch link")
            .WithDescription("Writes the NVSwitch driver's SXid line into the node's kernel log. node_name answers the fault; node_selector with count answers every node's fault.")
            .ProducesEither<FaultResource, MultiInjectionResource>().ProducesProblems(injectProblems).AddEndpointFilter<AuditEndpointFilter>();

        // Lists gather from every agent: an agent that does not answer is in the answer's errors, not a problem.
        group.MapGet("/", ListFaultsAsync).WithName("ListFaults")
            .WithSummary("List the faults of every node (or one), paged")
            .ProducesProblems(400, 404, 503);
        group.MapGet("/{faultId}", GetFaultAsync).WithName("GetFault")
            .WithSummary("Get one fault by id")
            .ProducesProblems(400, 404, 503);
        group.MapDelete("/{faultId}", ClearFaultAsync).WithName("ClearFault")
            .WithSummary("Clear a fault (its DCGM values are restored)")
            .ProducesProblems(400, 404, 502, 503, 504).AddEndpointFilter<AuditEndpointFilter>();
        group.MapPost("/{faultId}/recover", ClearFaultAsync).WithName("RecoverFault")
            .WithSummary("Recover from a fault (the same as clearing it)")
            .ProducesProblems(400, 404, 502, 503, 504).AddEndpointFilter<AuditEndpointFilter>();
        return group;
    }

    internal static async Task<IResult> InjectXidAsync(
        string xid,
        [FromBody] InjectXidBody body,
        [FromHeader(Name = IdempotencyKeys.HeaderName)] string? idempotencyKey,
        ClaimsPrincipal user,
        FaultInjector injector,
        InjectionBugReportStarter bugReports,
        IHostApplicationLifetime lifetime)
    {
        InjectionProfile.Lap(InjectionPhase.AuditEntry);
        // Not the client's connection: a write on its way to an agent runs to its answer, which is audited.
        var cancellationToken = lifetime.ApplicationStopping;
        var errors = new RequestErrors();
        var code = ApiInputRules.Code(errors, "xid", xid, ApiInputRules.MaxXid);
        var target = ApiInputRules.Target(errors, body);
        var gpuId = ApiInputRules.Range(errors, "gpu_id", body.GpuId, 0, ApiInputRules.MaxGpuId, required: false) ?? 0;
        ApiInputRules.Text(errors, "message", body.Message, ApiInputRules.MaxMessageLength);
        var duration = ApiInputRules.Duration(errors, "duration", body.Duration);
        ApiInputRules.Text(errors, "process_name", body.ProcessName, ApiInputRules.MaxProcessNameLength);
        ApiInputRules.Range(errors, "pid", body.Pid, 0, ApiInputRules.MaxPid, required: false);
        var key = ApiInputRules.IdempotencyKey(errors, IdempotencyKeys.HeaderName, idempotencyKey) ?? IdempotencyKeys.NewRequestKey();
        SurfacesValidator.Check(errors, body.Surfaces, gpuFault: true);
        errors.ThrowIfAny();
        InjectionProfile.Lap(InjectionPhase.Validation);
        var caller = CallerIdentity.NameOf(user);
        var faults = await injector.InjectAsync(target! with { Duration = duration, CallerKey = idempotencyKey is not null }, caller, key, new XidInjection(
            new InjectXidRequest
            {
                Xid = code,
                GpuId = gpuId,
                Message = body.Message ?? "",
                Duration = duration is { } d ? Duration.FromTimeSpan(d) : null,
                DryRun = body.DryRun,
                CompanionLines = body.CompanionLines,
                ProcessName = body.ProcessName ?? "",
                Pid = body.Pid ?? 0,
                DriverVersion = body.DriverVersion ?? "",
                PreviousXid = body.PreviousXid ?? 0,
                FallenOffBusProbe = body.FallenOffBusProbe,
                OmitCompanionRecords = body.OmitCompanionRecords,
                Surfaces = { body.Surfaces ?? [] },
            }.WithOptional(body)), cancellationToken).ConfigureAwait(false);
        if (body.CollectBugReport && !body.DryRun)
        {
            faults = await bugReports.StartAsync(faults, caller, cancellationToken).ConfigureAwait(false);
        }

        var result = Result(target!, faults);
        InjectionProfile.Lap(InjectionPhase.ResponseMapping);
        return result;
    }

    internal static async Task<IResult> InjectSxidAsync(
        string sxid,
        [FromBody] InjectSxidBody body,
        [FromHeader(Name = IdempotencyKeys.HeaderName)] string? idempotencyKey,
        ClaimsPrincipal user,
        FaultInjector injector,
        InjectionBugReportStarter bugReports,
        IHostApplicationLifetime lifetime)
    {
        // Not the client's connection: a write on its way to an agent runs to its answer, which is audited.
        var cancellationToken = lifetime.ApplicationStopping;
        var errors = new RequestErrors();
        var code = ApiInputRules.Code(errors, "sxid", sxid, ApiInputRules.MaxSxid);
        var target = ApiInputRules.Target(errors, body);
        var nvswitch = ApiInputRules.Range(errors, "nvswitch", body.NvSwitch, 0, ApiInputRules.MaxNvSwitch, required: true);
        var link = ApiInputRules.Range(errors, "link", body.Link, 0, ApiInputRules.MaxLink, required: true);
        ApiInputRules.PciBusId(errors, "pci_bus_id", body.PciBusId);
        ApiInputRules.Text(errors, "message", body.Message, ApiInputRules.MaxMessageLength);
        var duration = ApiInputRules.Duration(errors, "duration", body.Duration);
        var key = ApiInputRules.IdempotencyKey(errors, IdempotencyKeys.HeaderName, idempotencyKey) ?? IdempotencyKeys.NewRequestKey();
        SurfacesValidator.Check(errors, body.Surfaces, gpuFault: false);
        errors.ThrowIfAny();
        var caller = CallerIdentity.NameOf(user);
        var faults = await injector.InjectAsync(target! with { Duration = duration, CallerKey = idempotencyKey is not null }, caller, key, new SxidInjection(
            new InjectSxidRequest
            {
                Sxid = code,
                Nvswitch = nvswitch!.Value,
                Link = link!.Value,
                PciBusId = body.PciBusId ?? "",
                Message = body.Message ?? "",
                Duration = duration is { } d ? Duration.FromTimeSpan(d) : null,
                DryRun = body.DryRun,
                First = body.First,
                ErrorClass = body.ErrorClass ?? "",
                Data = { body.Data ?? [] },
                OmitCompanionRecords = body.OmitCompanionRecords,
                Surfaces = { body.Surfaces ?? [] },
            }), cancellationToken).ConfigureAwait(false);
        if (body.CollectBugReport && !body.DryRun)
        {
            faults = await bugReports.StartAsync(faults, caller, cancellationToken).ConfigureAwait(false);
        }

        return Result(target!, faults);
    }

    internal static async Task<Ok<FaultListResource>> ListFaultsAsync(
        ClaimsPrincipal user,
        AgentRouter router,
        AgentGateway agents,
        CancellationToken cancellationToken,
        [FromQuery(Name = "active_only")] bool? activeOnly = null,
        [FromQuery(Name = "node")] string? node = null,
        [FromQuery(Name = "limit")] int? limit = null,
        [FromQuery(Name = "page_token")] string? pageToken = null)
    {
        var errors = new RequestErrors();
        node = ApiInputRules.NodeName(errors, "node", node, required: false);
        var page = PageRequest.Read(errors, "faults", $"active_only={activeOnly == true};node={node}", limit, pageToken);
        errors.ThrowIfAny();
        var targets = router.AllOrNode(node);
        var caller = CallerIdentity.NameOf(user);
        var gathered = await agents.GatherAsync(targets, (agent, ct) => agents.ListFaultsAsync(agent, activeOnly ?? false, caller, ct), cancellationToken).ConfigureAwait(false);
        var (faults, next) = page.Take(
            gathered.Items(f => f),
            f => PageKeys.Join(PageKeys.Ascending(f.Item.InjectedAt?.ToDateTimeOffset()), f.NodeName, f.Item.FaultId));
        return TypedResults.Ok(new FaultListResource(
            [.. faults.Select(f => FaultResourceMapper.FromFault(f.Item))],
            faults.Count,
            gathered.AnsweredNodes,
            gathered.Errors,
            next));
    }

    internal static async Task<Ok<FaultResource>> GetFaultAsync(
        string faultId,
        ClaimsPrincipal user,
        AgentRouter router,
        AgentGateway agents,
        CancellationToken cancellationToken,
        [FromQuery(Name = "node")] string? node = null)
    {
        var errors = new RequestErrors();
        ApiInputRules.FaultId(errors, "fault_id", faultId, required: true);
        node = ApiInputRules.NodeName(errors, "node", node, required: false);
        errors.ThrowIfAny();
        var (_, fault) = await FindAsync(faultId, node, CallerIdentity.NameOf(user), router, agents, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(FaultResourceMapper.FromFault(fault));
    }

    internal static async Task<Ok<FaultResource>> ClearFaultAsync(
        string faultId,
        ClaimsPrincipal user,
        AgentRouter router,
        AgentGateway agents,
        IHostApplicationLifetime lifetime,
        [FromQuery(Name = "node")] string? node = null,
        [FromQuery(Name = "reason")] string? reason = null)
    {
        var cancellationToken = lifetime.ApplicationStopping;
        var errors = new RequestErrors();
        ApiInputRules.FaultId(errors, "fault_id", faultId, required: true);
        node = ApiInputRules.NodeName(errors, "node", node, required: false);
        ApiInputRules.Text(errors, "reason", reason, ApiInputRules.MaxReasonLength);
        errors.ThrowIfAny();
        var caller = CallerIdentity.NameOf(user);
        var (agent, _) = await FindAsync(faultId, node, caller, router, agents, cancellationToken).ConfigureAwait(false);
        var cleared = await agents.ClearAsync(agent, faultId, reason ?? $"cleared by {caller}", caller, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(FaultResourceMapper.FromFault(cleared));
    }

    /// <summary>Finds a fault on its node (<c>?node=</c>) or across every agent.</summary>
    private static async Task<(AgentEndpoint Agent, Fault Fault)> FindAsync(string faultId, string? node, string caller, AgentRouter router, AgentGateway agents, CancellationToken cancellationToken)
    {
        var targets = router.AllOrNode(node);
        var gathered = await agents.GatherAsync(targets, (agent, ct) => agents.GetFaultAsync(agent, faultId, caller, ct), cancellationToken).ConfigureAwait(false);
        var found = gathered.Answers.Count > 0 ? gathered.Answers[0] : null;
        if (found is not null)
        {
            return (found.Agent, found.Response!);
        }

        var failures = gathered.Errors.Where(e => e.Status != StatusCodes.Status404NotFound).ToList();
        var invalid = failures.FirstOrDefault(e => e.Status == StatusCodes.Status400BadRequest);
        if (invalid is not null)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid fault id", invalid.Message, new Dictionary<string, string[]> { ["fault_id"] = [invalid.Message] });
        }

        if (failures.Count > 0)
        {
            throw new ApiProblemException(
                StatusCodes.Status503ServiceUnavailable,
                "Fault not found on the agents that answered",
                $"Fault '{faultId}' is on none of the agents that answered; {failures.Count} node(s) could not be asked.",
                extensions: new Dictionary<string, object?> { ["node_errors"] = failures });
        }

        throw new ApiProblemException(StatusCodes.Status404NotFound, "Unknown fault", $"No agent knows a fault '{faultId}'.", extensions: new Dictionary<string, object?> { ["fault_id"] = faultId });
    }

    /// <summary>An injection's 200: the node's fault, or every node's; written in one write with its length (<see cref="SizedJsonResult{TValue}"/>).</summary>
    internal static IResult Result(InjectionTarget target, IReadOnlyList<FaultResource> faults) =>
        target.Selector is null
            ? new SizedJsonResult<FaultResource>(faults[0], InjectionJsonContext.Default.FaultResource)
            : new SizedJsonResult<MultiInjectionResource>(
                new MultiInjectionResource(target.DryRun ? "dry_run" : "injected", target.NodeSelector!, faults.Count, faults),
                InjectionJsonContext.Default.MultiInjectionResource);
}
