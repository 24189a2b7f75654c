using FaultAgent.Auth;
using FaultAgent.BugReports;
using FaultAgent.Dcgm;
using FaultAgent.Drivers;
using FaultAgent.Faults;
using FaultAgent.Gpus;
using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Audit;
using FaultAgent.Paging;
using FaultAgent.Registry;
using FaultAgent.Telemetry;
using FaultAgent.EmergencyStop;
using FaultAgent.Xids;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Proto = FaultInjection.Agent.V1;

namespace FaultAgent.Grpc;

/// <summary>
/// The contract's injection, registry, GPU and catalog RPCs over the domain services; the telemetry and bug-report RPCs
/// are in <c>FaultAgentService.Diagnostics.cs</c>, the DCGM ones in <c>FaultAgentService.Dcgm.cs</c>. Not derived from the
/// generated <c>FaultAgentBase</c>: its methods are bound by <see cref="FaultAgentServiceMethodProvider"/> (grpc-dotnet's
/// default binder finds no generated base and binds nothing); a proto RPC left without a method here and a binding there fails
/// FaultAgentServiceMethodProviderTests, which compares the bound methods with the proto's.
/// </summary>
[Authorize]
public sealed partial class FaultAgentService(
    FaultInjectionService injection,
    FaultRecordService records,
    FaultRegistry registry,
    IGpuDiscovery discovery,
    XidCatalog catalog,
    IBootIdSource bootIdSource,
    EmergencyStopService emergencyStop,
    AgentAuditTrail auditTrail,
    IOptions<AgentOptions> options,
    GpuTelemetryService telemetry,
    BugReportCollector bugReports,
    DcgmFaultService dcgm,
    DcgmFieldCatalog dcgmCatalog)
{
    private readonly string _nodeName = options.Value.NodeName;

    public async Task<Proto.InjectResponse> InjectXid(Proto.InjectXidRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var profile = InjectionProfile.Begin();
        var result = await injection.InjectXidAsync(
            new XidInjectionRequest
            {
                FaultId = request.FaultId,
                Xid = request.Xid,
                GpuId = request.GpuId,
                Message = request.Message,
                Duration = ToTimeSpan(request.Duration),
                DryRun = request.DryRun,
                IdempotencyKey = request.IdempotencyKey,
                CompanionLines = request.CompanionLines,
                ProcessName = request.ProcessName,
                Pid = request.Pid,
                Surfaces = [.. request.Surfaces],
                DriverVersion = request.DriverVersion,
                GpuInstance = request.HasGpuInstance ? request.GpuInstance : null,
                ComputeInstance = request.HasComputeInstance ? request.ComputeInstance : null,
                Channel = request.HasChannel ? request.Channel : null,
                PreviousXid = request.PreviousXid,
                FallenOffBusProbe = request.FallenOffBusProbe,
                OmitCompanionRecords = request.OmitCompanionRecords,
            },
            Caller(context),
            context.CancellationToken).ConfigureAwait(false);
        var responseStart = InjectionProfile.Start();
        var response = ToResponse(result, request.IdempotencyKey);
        InjectionProfile.Add(InjectionPhase.Response, responseStart);
        InjectionProfile.Complete(profile);
        return response;
    }

    public async Task<Proto.InjectResponse> InjectSxid(Proto.InjectSxidRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var result = await injection.InjectSxidAsync(
            new SxidInjectionRequest
            {
                FaultId = request.FaultId,
                Sxid = request.Sxid,
                NvSwitch = request.Nvswitch,
                PciBusId = request.PciBusId,
                Link = request.Link,
                Message = request.Message,
                Duration = ToTimeSpan(request.Duration),
                DryRun = request.DryRun,
                IdempotencyKey = request.IdempotencyKey,
                Surfaces = [.. request.Surfaces],
                First = request.First,
                ErrorClass = request.ErrorClass,
                Data = [.. request.Data],
                OmitCompanionRecords = request.OmitCompanionRecords,
            },
            Caller(context),
            context.CancellationToken).ConfigureAwait(false);
        return ToResponse(result, request.IdempotencyKey);
    }

    public async Task<Proto.ListFaultsResponse> ListFaults(Proto.ListFaultsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var violations = new List<FaultFieldViolation>();
        var pageRequest = PageRequest.FromPageSize(request.PageSize, request.PageToken, violations);
        FaultRequestValidator.ThrowIfAny(violations);
        var faults = await registry.ListAsync(request.ActiveOnly, context.CancellationToken).ConfigureAwait(false);
        var page = FaultPages.Take(faults, request.ActiveOnly, pageRequest);
        var response = new Proto.ListFaultsResponse { NodeName = _nodeName, NextPageToken = page.NextPageToken ?? "", TotalSize = page.TotalSize };
        response.Faults.AddRange(page.Items.Select(f => f.ToProto()));
        return response;
    }

    public async Task<Proto.Fault> GetFault(Proto.GetFaultRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var fault = await records.GetAsync(request.FaultId, context.CancellationToken).ConfigureAwait(false);
        return fault.ToProto();
    }

    public async Task<Proto.Fault> ClearFault(Proto.ClearFaultRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var fault = await records.ClearAsync(request.FaultId, request.Reason, Caller(context), context.CancellationToken).ConfigureAwait(false);
        return fault.ToProto();
    }

    public async Task<Proto.ListGpusResponse> ListGpus(Proto.ListGpusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var inventory = await discovery.ListAsync(context.CancellationToken).ConfigureAwait(false);
        var response = new Proto.ListGpusResponse
        {
            NodeName = _nodeName,
            BootId = await bootIdSource.GetBootIdAsync(context.CancellationToken).ConfigureAwait(false),
            DriverVersion = inventory.DriverVersion?.Text ?? "",
            LineForm = inventory.DriverVersion is { } driver ? DriverProfile.WireName(DriverProfile.FormOf(driver)) : DriverProfile.Newest.FormName,
        };
        response.Gpus.AddRange(inventory.Gpus.Select(g => g.ToProto(request.Summary)));
        response.Nvswitches.AddRange(inventory.NvSwitches.Select(s => new Proto.NvSwitch { Instance = s.Instance, PciBusId = s.PciBusId, SourcePath = request.Summary ? "" : s.SourcePath }));
        response.Problems.AddRange(inventory.Problems.Select(p => new Proto.DiscoveryProblem { Path = p.Path, Message = p.Message }));
        return response;
    }

    public Task<Proto.Catalog> GetCatalog(Proto.GetCatalogRequest request, ServerCallContext context)
    {
        var response = new Proto.Catalog();
        response.Xids.AddRange(catalog.Xids.Select(x => x.ToProto()));
        response.Sxids.AddRange(catalog.Sxids.Select(s => s.ToProto()));
        return Task.FromResult(response);
    }

    private static string Caller(ServerCallContext context) => context.GetHttpContext().User.GetFaultCaller();

    private static TimeSpan? ToTimeSpan(Google.Protobuf.WellKnownTypes.Duration? duration) =>
        duration is null ? null : RequestedDuration.FromSecondsAndNanos(duration.Seconds, duration.Nanos);

    /// <summary>The injection's answer; <paramref name="requestIdempotencyKey"/> is the request's key (<see cref="FaultMessageMapper.ToProto(FaultRecord, string?)"/>).</summary>
    private static Proto.InjectResponse ToResponse(FaultInjectionResult result, string requestIdempotencyKey)
    {
        var fault = result.Fault.ToProto(requestIdempotencyKey);
        if (result.DryRun)
        {
            // Nothing was written: no write outcome.
            fault.WriteOutcome = Proto.InjectionWriteOutcome.Unspecified;
        }

        return new() { Fault = fault, Replayed = result.Replayed, DryRun = result.DryRun };
    }
}
