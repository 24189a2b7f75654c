using System.Text.RegularExpressions;
using FaultAgent.Dcgm;
using FaultAgent.Gpus;
using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Limits;
using FaultAgent.Metrics;
using FaultAgent.Safety;
using FaultAgent.Registry;
using FaultAgent.Xids;
using Microsoft.Extensions.Options;

namespace FaultAgent.Faults;

/// <summary>
/// Injects Xid and SXid faults: validates the request, returns the stored result of an identical earlier request,
/// finds the GPU or NVSwitch, composes the exact records (<see cref="XidLineBuilder"/>, which validates caller text), and
/// (unless a dry run) writes and records them through the registry. Every error is thrown before anything is written.
/// </summary>
public sealed partial class FaultInjectionService(
    IGpuDiscovery discovery,
    XidCatalog catalog,
    XidLineBuilder lineBuilder,
    FaultRegistry registry,
    TimeProvider timeProvider,
    IOptions<AgentOptions> options,
    AgentMetrics? metrics = null,
    DcgmFaultService? dcgm = null)
{
    /// <summary>The facility the kernel gives every record written from user space (LOG_USER).</summary>
    private const int KernelUserFacility = 1;

    private readonly string _nodeName = options.Value.NodeName;

    public async Task<FaultInjectionResult> InjectXidAsync(XidInjectionRequest request, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var labels = InjectionMetricLabels.ForXid(request.Xid, catalog);
        try
        {
            return await InjectXidCoreAsync(request, caller, labels, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRefusal(e) && !request.DryRun)
        {
            metrics?.Injection(labels, "refused");
            throw;
        }
    }

    public async Task<FaultInjectionResult> InjectSxidAsync(SxidInjectionRequest request, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var labels = InjectionMetricLabels.ForSxid(request.Sxid, catalog);
        try
        {
            return await InjectSxidCoreAsync(request, caller, labels, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRefusal(e) && !request.DryRun)
        {
            metrics?.Injection(labels, "refused");
            throw;
        }
    }

    private static bool IsRefusal(Exception e) =>
        e is FaultRequestInvalidException or InjectionValidationException or HardwareNotFoundException or FaultRequestConflictException or EmergencyStopEngagedException or InjectionLimitExceededException;

    private async Task<FaultInjectionResult> InjectXidCoreAsync(XidInjectionRequest request, string caller, InjectionMetricLabels labels, CancellationToken cancellationToken)
    {
        var violations = new List<FaultFieldViolation>();
        if (request.Xid is < 1 or > 999)
        {
            violations.Add(new("xid", "must be an Xid number from 1 to 999"));
        }

        if (request.GpuId < 0)
        {
            violations.Add(new("gpu_id", "must be a Device Minor (0 or more)"));
        }

        if (request.Pid < 0)
        {
            violations.Add(new("pid", "must be 0 (unknown) or a process id"));
        }

        FaultRequestValidator.CheckFaultId(request.FaultId, violations);
        FaultRequestValidator.CheckIdempotencyKey(request.IdempotencyKey, violations);
        FaultRequestValidator.CheckDuration(request.Duration, violations);
        FaultRequestValidator.CheckText("message", request.Message, FaultRequestValidator.MaxMessageLength, violations);
        FaultRequestValidator.CheckText("process_name", request.ProcessName, FaultRequestValidator.MaxProcessNameLength, violations);
        var surfaces = InjectionSurfaces.Check(request.Surfaces, dcgmTarget: "DCGM_FI_DEV_XID_ERRORS", violations);
        if (request.CompanionLines && !InjectionSurfaces.WritesKernelLog(surfaces))
        {
            violations.Add(new("companion_lines", "are kernel-log records: they need the \"kmsg\" surface"));
        }

        FaultRequestValidator.ThrowIfAny(violations);

        var fingerprint = FaultRequestValidator.Fingerprint(
            ["xid", request.FaultId, request.Xid, request.GpuId, request.Message, request.Duration?.Ticks, request.CompanionLines, request.ProcessName, request.Pid, .. InjectionSurfaces.FingerprintParts(surfaces)]);
        if (!request.DryRun && await registry.FindReplayAsync(request.FaultId, request.IdempotencyKey, fingerprint, cancellationToken).ConfigureAwait(false) is { } replay)
        {
            return new FaultInjectionResult(replay, Replayed: true, DryRun: false);
        }

        var inventory = await discovery.DiscoverAsync(cancellationToken).ConfigureAwait(false);
        var gpu = inventory.FindGpu(request.GpuId)
            ?? throw new HardwareNotFoundException($"No GPU with gpu_id {request.GpuId} on node {_nodeName} (found: {Describe(inventory.Gpus.Select(g => g.GpuId))}).") { Field = "gpu_id" };
        labels.FoundGpu(gpu.GpuId);
        var lines = lineBuilder.BuildXid(request.Xid, gpu, request.Message, request.Pid, request.ProcessName, request.CompanionLines);
        var entry = catalog.FindXid(request.Xid);
        var now = timeProvider.GetUtcNow();
        var planned = new FaultRecord
        {
            FaultId = string.IsNullOrEmpty(request.FaultId) ? NewFaultId() : request.FaultId,
            NodeName = _nodeName,
            Kind = FaultKind.Xid,
            Code = request.Xid,
            FaultType = $"gpu_xid_{request.Xid}",
            GpuId = gpu.GpuId,
            PciBusId = gpu.PciBusId,
            GpuUuid = gpu.Uuid ?? "",
            Message = lines.Message,
            Line = lines.MonitorLine,
            Records = Planned(lines),
            State = FaultState.Active,
            InjectedAt = now,
            ExpiresAt = request.Duration is { } duration ? now + duration : null,
            Caller = caller,
            IdempotencyKey = string.IsNullOrEmpty(request.IdempotencyKey) ? null : request.IdempotencyKey,
            RequestFingerprint = fingerprint,
            Severity = entry?.Severity.ToString().ToLowerInvariant() ?? "",
            RecommendedAction = entry?.RecommendedAction ?? "",
            Surfaces = surfaces,
        };

        IReadOnlyList<DcgmFieldValue> dcgmValues = InjectionSurfaces.WritesDcgm(surfaces)
            ? [new DcgmFieldValue(DcgmFieldCatalog.Default.FindById(DcgmFieldCatalog.XidErrorsFieldId)!, request.Xid)]
            : [];
        return await RecordAsync(planned, lines, labels, request.DryRun, cancellationToken, dcgmValues).ConfigureAwait(false);
    }

    private async Task<FaultInjectionResult> InjectSxidCoreAsync(SxidInjectionRequest request, string caller, InjectionMetricLabels labels, CancellationToken cancellationToken)
    {
        var violations = new List<FaultFieldViolation>();
        if (request.Sxid is < 1 or > 99999)
        {
            violations.Add(new("sxid", "must be an SXid number from 1 to 99999"));
        }

        if (request.NvSwitch < 0)
        {
            violations.Add(new("nvswitch", "must be an NVSwitch instance number (0 or more)"));
        }

        if (request.Link is < 0 or > 255)
        {
            violations.Add(new("link", "must be a link number from 0 to 255"));
        }

        if (!string.IsNullOrEmpty(request.PciBusId) && !PciBdfPattern().IsMatch(request.PciBusId))
        {
            violations.Add(new("pci_bus_id", "must be a full PCI BDF: dddd:bb:dd.f"));
        }

        FaultRequestValidator.CheckFaultId(request.FaultId, violations);
        FaultRequestValidator.CheckIdempotencyKey(request.IdempotencyKey, violations);
        FaultRequestValidator.CheckDuration(request.Duration, violations);
        FaultRequestValidator.CheckText("message", request.Message, FaultRequestValidator.MaxMessageLength, violations);
        InjectionSurfaces.Check(request.Surfaces, dcgmTarget: null, violations);
        FaultRequestValidator.ThrowIfAny(violations);

        var fingerprint = FaultRequestValidator.Fingerprint(
            "sxid", request.FaultId, request.Sxid, request.NvSwitch, request.PciBusId, request.Link, request.Message, request.Duration?.Ticks);
        if (!request.DryRun && await registry.FindReplayAsync(request.FaultId, request.IdempotencyKey, fingerprint, cancellationToken).ConfigureAwait(false) is { } replay)
        {
            return new FaultInjectionResult(replay, Replayed: true, DryRun: false);
        }

        var pciBusId = request.PciBusId;
        if (string.IsNullOrEmpty(pciBusId))
        {
            var inventory = await discovery.DiscoverAsync(cancellationToken).ConfigureAwait(false);
            var nvSwitch = inventory.NvSwitches.FirstOrDefault(s => s.Instance == request.NvSwitch)
                ?? throw new HardwareNotFoundException($"No NVSwitch nvidia-nvswitch{request.NvSwitch} on node {_nodeName} (found: {Describe(inventory.NvSwitches.Select(s => s.Instance))}); give pci_bus_id to name it.") { Field = "nvswitch" };
            pciBusId = nvSwitch.PciBusId;
            labels.FoundNvSwitch(nvSwitch.Instance);
        }

        var lines = lineBuilder.BuildSxid(request.Sxid, request.NvSwitch, pciBusId, request.Link, request.Message);
        var entry = catalog.FindSxid(request.Sxid);
        var now = timeProvider.GetUtcNow();
        var planned = new FaultRecord
        {
            FaultId = string.IsNullOrEmpty(request.FaultId) ? NewFaultId() : request.FaultId,
            NodeName = _nodeName,
            Kind = FaultKind.Sxid,
            Code = request.Sxid,
            FaultType = $"nvswitch_sxid_{request.Sxid}",
            PciBusId = pciBusId,
            NvSwitch = request.NvSwitch,
            Link = request.Link,
            Message = lines.Message,
            Line = lines.MonitorLine,
            Records = Planned(lines),
            State = FaultState.Active,
            InjectedAt = now,
            ExpiresAt = request.Duration is { } duration ? now + duration : null,
            Caller = caller,
            IdempotencyKey = string.IsNullOrEmpty(request.IdempotencyKey) ? null : request.IdempotencyKey,
            RequestFingerprint = fingerprint,
            Severity = entry is null ? "" : entry.Fatal ? "critical" : "warning",
            RecommendedAction = entry?.RecommendedAction ?? "",
        };

        return await RecordAsync(planned, lines, labels, request.DryRun, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The records as they will be written: what a dry run returns (sequence 0) and what a pending entry looks for.</summary>
    private static List<FaultKernelRecord> Planned(InjectionLines lines) =>
        [.. lines.Records.Select(l => new FaultKernelRecord(l.Text, l.Level, KernelUserFacility, 0, 0, null))];

    /// <summary>
    /// Writes and records the planned fault: on its surfaces (<see cref="FaultRecord.Surfaces"/>), the kernel-log lines and,
    /// with <paramref name="dcgmValues"/>, the DCGM fields first (<see cref="DcgmFaultService.RecordAsync"/>, which takes them
    /// back if the kernel-log write or the recording fails).
    /// </summary>
    private async Task<FaultInjectionResult> RecordAsync(FaultRecord planned, InjectionLines lines, InjectionMetricLabels labels, bool dryRun, CancellationToken cancellationToken, IReadOnlyList<DcgmFieldValue>? dcgmValues = null)
    {
        IReadOnlyList<KernelLogLine> kernelLines = InjectionSurfaces.WritesKernelLog(planned.Surfaces) ? lines.Records : [];
        if (!InjectionSurfaces.WritesKernelLog(planned.Surfaces))
        {
            planned = planned with { Records = [], Line = "" };
        }

        if (dcgmValues is { Count: > 0 })
        {
            var dcgmFaults = dcgm ?? throw new InvalidOperationException("The DCGM surface is not registered (AddDcgm).");
            return await dcgmFaults.RecordAsync(planned, dcgmValues, (p, ct) => RecordKernelLogAsync(p, kernelLines, labels, ct), dryRun, cancellationToken).ConfigureAwait(false);
        }

        if (dryRun)
        {
            return new FaultInjectionResult(planned, Replayed: false, DryRun: true);
        }

        var registration = await RecordKernelLogAsync(planned, kernelLines, labels, cancellationToken).ConfigureAwait(false);
        return new FaultInjectionResult(registration.Fault, registration.Replayed, DryRun: false);
    }

    private async Task<FaultRegistration> RecordKernelLogAsync(FaultRecord planned, IReadOnlyList<KernelLogLine> lines, InjectionMetricLabels labels, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        FaultRegistration registration;
        try
        {
            registration = await registry.RecordInjectionAsync(planned, lines, cancellationToken).ConfigureAwait(false);
        }
        catch (KernelLogRecordLostException)
        {
            metrics?.Injection(labels, "dropped");
            metrics?.KernelLogWrite(timeProvider.GetElapsedTime(started), "dropped");
            throw;
        }
        catch (Exception e) when (!IsRefusal(e) && e is not OperationCanceledException)
        {
            metrics?.Injection(labels, "failed");
            throw;
        }

        if (!registration.Replayed)
        {
            metrics?.Injection(labels, "verified");
            metrics?.KernelLogWrite(timeProvider.GetElapsedTime(started), "verified");
        }

        return registration;
    }

    private string NewFaultId() => $"fault-{Guid.CreateVersion7(timeProvider.GetUtcNow()):N}";

    private static string Describe(IEnumerable<int> numbers)
    {
        var list = numbers.Order().ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    [GeneratedRegex(@"^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]\z", RegexOptions.CultureInvariant)]
    private static partial Regex PciBdfPattern();
}
