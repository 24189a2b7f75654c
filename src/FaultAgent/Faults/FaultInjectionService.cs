using System.Globalization;
using FaultAgent.Dcgm;
using FaultAgent.Drivers;
using FaultAgent.Gpus;
using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Limits;
using FaultAgent.Metrics;
using FaultAgent.EmergencyStop;
using FaultAgent.Registry;
using FaultAgent.Xids;
using Microsoft.Extensions.Options;

namespace FaultAgent.Faults;

/// <summary>
/// Injects Xid and SXid faults: validates the request, returns the stored result of an identical earlier request,
/// finds the GPU or NVSwitch, composes the exact records (<see cref="XidLineBuilder"/>, which validates caller text), and
/// (unless a dry run) writes and records them through the <see cref="InjectionPipeline"/>. Every error is thrown before anything is written.
/// </summary>
public sealed class FaultInjectionService(
    IGpuDiscovery discovery,
    XidCatalog catalog,
    XidLineBuilder lineBuilder,
    FaultRegistry registry,
    InjectionPipeline pipeline,
    TimeProvider timeProvider,
    IOptions<AgentOptions> options,
    GpuPreambleLedger preambles,
    AgentMetrics? metrics = null,
    DcgmFaultService? dcgm = null,
    IGpuBoardInfoSource? boardInfo = null)
{
    /// <summary>The facility the kernel gives every record written from user space (LOG_USER).</summary>
    private const int KernelUserFacility = 1;

    private readonly string _nodeName = options.Value.NodeName;

    // What fault after fault repeats (type, severity, caller, driver facts, companion records' texts), kept once: the registry holds every fault.
    private readonly RepeatedFaultValues _repeated = new();

    public async Task<FaultInjectionResult> InjectXidAsync(XidInjectionRequest request, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var labels = InjectionMetricLabels.ForXid(request.Xid, catalog);
        return await CountingRefusalsAsync(labels, request.DryRun, () => InjectXidCoreAsync(request, caller, labels, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<FaultInjectionResult> InjectSxidAsync(SxidInjectionRequest request, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var labels = InjectionMetricLabels.ForSxid(request.Sxid, catalog);
        return await CountingRefusalsAsync(labels, request.DryRun, () => InjectSxidCoreAsync(request, caller, labels, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Runs one injection; a refusal (of anything but a dry run) is counted as <c>refused</c> and thrown on.</summary>
    private async Task<FaultInjectionResult> CountingRefusalsAsync(InjectionMetricLabels labels, bool dryRun, Func<Task<FaultInjectionResult>> inject)
    {
        try
        {
            return await inject().ConfigureAwait(false);
        }
        catch (Exception e) when (IsRefusal(e) && !dryRun)
        {
            metrics?.Injection(labels, "refused");
            throw;
        }
    }

    private static bool IsRefusal(Exception e) =>
        e is InvalidRequestException or HardwareNotFoundException or BoardInfoPendingException or FaultRequestConflictException or EmergencyStopEngagedException or EmergencyStopUnconfirmedException or InjectionLimitExceededException;

    private async Task<FaultInjectionResult> InjectXidCoreAsync(XidInjectionRequest request, string caller, InjectionMetricLabels labels, CancellationToken cancellationToken)
    {
        var phase = InjectionProfile.Start();
        var (surfaces, requestedDriver) = InjectionRequestChecks.CheckXid(request);

        var fingerprint = FaultRequestValidator.Fingerprint(
            ["xid", request.FaultId, request.Xid, request.GpuId, request.Message, request.Duration?.Ticks, request.CompanionLines, request.ProcessName, request.Pid, request.DriverVersion, request.GpuInstance, request.ComputeInstance, request.Channel, request.PreviousXid, request.FallenOffBusProbe, request.OmitCompanionRecords, .. InjectionSurfaces.FingerprintParts(surfaces)]);
        InjectionProfile.Add(InjectionPhase.Validation, phase);
        phase = InjectionProfile.Start();
        if (!request.DryRun && await registry.FindReplayAsync(request.FaultId, request.IdempotencyKey, fingerprint, cancellationToken).ConfigureAwait(false) is { } replay)
        {
            return ReplayAnswer(new FaultInjectionResult(replay, Replayed: true, DryRun: false));
        }

        InjectionProfile.Add(InjectionPhase.ReplayLookup, phase);
        phase = InjectionProfile.Start();
        var inventory = await discovery.DiscoverAsync(cancellationToken).ConfigureAwait(false);
        if (inventory.FindGpu(request.GpuId) is null || request.GpuInstance is not null)
        {
            // A miss (or a MIG instance, which comes and goes without a driver reload): look again before answering.
            inventory = await discovery.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        var gpu = inventory.FindGpu(request.GpuId)
            ?? throw new HardwareNotFoundException($"No GPU with gpu_id {request.GpuId} on node {_nodeName} (found: {Describe(inventory.Gpus.Select(g => g.GpuId))}).") { Field = "gpu_id" };
        labels.FoundGpu(gpu.GpuId);
        CheckMigInstance(gpu, request.GpuInstance, request.ComputeInstance);
        InjectionProfile.Add(InjectionPhase.Discovery, phase);
        phase = InjectionProfile.Start();
        var driver = requestedDriver is not null ? new DriverProfile(requestedDriver, DriverVersionSource.Request)
            : inventory.DriverVersion is { } nodeDriver ? new DriverProfile(nodeDriver, DriverVersionSource.Node)
            : DriverProfile.Newest;
        var companions = !request.OmitCompanionRecords && InjectionSurfaces.WritesKernelLog(surfaces);

        // The board serial is looked up (nvidia-smi, bounded by Agent:Telemetry:BoardLookupWait) before the preamble is
        // reserved, so the reservation lasts only the write and another injection on the GPU never waits out this one's
        // nvidia-smi (#14, preamblecrash). Once the GPU's preamble is printed neither step looks at anything but memory.
        var preamble = companions && await preambles.IsDueAsync(gpu.XidPci, cancellationToken).ConfigureAwait(false);
        var board = (companions && (preamble || request.Xid == 79)) || request.FallenOffBusProbe
            ? await GetBoardInfoAsync(gpu, cancellationToken).ConfigureAwait(false)
            : null;
        var reserved = companions && !request.DryRun && await preambles.TryReserveAsync(gpu.XidPci, cancellationToken).ConfigureAwait(false);
        preamble = request.DryRun ? preamble : reserved;
        try
        {
            // Due only now (the injection that held it released it): its serial was not looked up yet.
            board ??= preamble ? await GetBoardInfoAsync(gpu, cancellationToken).ConfigureAwait(false) : null;
            var lines = _repeated.ShareCompanionRecords(lineBuilder.BuildXid(new XidLineRequest
            {
                Xid = request.Xid,
                Gpu = gpu,
                Driver = driver,
                Message = request.Message,
                Pid = request.Pid,
                ProcessName = request.ProcessName,
                Channel = request.Channel,
                PreviousXid = request.PreviousXid,
                GpuInstance = request.GpuInstance,
                ComputeInstance = request.ComputeInstance,
                Preamble = preamble,
                Board = board,
                FallenOffBusProbe = request.FallenOffBusProbe,
                OmitCompanionRecords = request.OmitCompanionRecords,
            }));
            var notes = new List<string>(lines.Notes);
            if (driver.Source == DriverVersionSource.Default)
            {
                notes.Insert(0, $"The node has no driver version file ({Path.Combine(options.Value.ProcRoot, "driver", "nvidia", "version")}): the newest line format ({driver.FormName}) was written.");
            }

            InjectionProfile.Add(InjectionPhase.LineBuild, phase);
            FaultInjectionResult result;
            try
            {
                result = await InjectXidLinesAsync(request, caller, gpu, lines, fingerprint, surfaces,
                    new DriverLineFacts(driver.Version?.Text ?? "", DriverProfile.SourceName(driver.Source), driver.FormName, request.GpuInstance, request.ComputeInstance, notes),
                    labels, cancellationToken).ConfigureAwait(false);
            }
            catch (InjectionOutcomeException e) when (reserved)
            {
                // Partially written or unknown: the preamble is printed when it landed (or may have), due again when not.
                reserved = false;
                await SettlePreambleAsync(gpu, lines, e.Fault).ConfigureAwait(false);
                throw;
            }

            if (reserved)
            {
                reserved = false;
                await SettlePreambleAsync(gpu, lines, result.Fault).ConfigureAwait(false);
            }

            return result;
        }
        finally
        {
            if (reserved)
            {
                preambles.Release(gpu.XidPci);
            }
        }
    }

    /// <summary>
    /// Ends the preamble's reservation by what <paramref name="fault"/>'s write left in the kernel log: printed when its
    /// records carry the preamble (<see cref="GpuPreambleRecords.PrintedBy"/>; a replay's are the first write's), due
    /// again when not. Lines without a preamble record (the GPU's UUID and serial both unknown) have nothing to print: printed.
    /// </summary>
    private async Task SettlePreambleAsync(GpuInfo gpu, InjectionLines lines, FaultRecord fault)
    {
        if (!GpuPreambleRecords.Carries(lines.Records) || GpuPreambleRecords.PrintedBy(fault))
        {
            await preambles.MarkPrintedAsync(gpu.XidPci, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            preambles.Release(gpu.XidPci);
        }
    }

    private async Task<FaultInjectionResult> InjectXidLinesAsync(
        XidInjectionRequest request, string caller, GpuInfo gpu, InjectionLines lines, string fingerprint, IReadOnlyList<string> surfaces, DriverLineFacts facts, InjectionMetricLabels labels, CancellationToken cancellationToken)
    {
        var entry = catalog.FindXid(request.Xid);
        var planned = Plan(FaultKind.Xid, request.Xid, $"gpu_xid_{request.Xid}", request.FaultId, request.Duration, request.IdempotencyKey, caller, fingerprint, lines) with
        {
            GpuId = gpu.GpuId,
            PciBusId = gpu.PciBusId,
            GpuUuid = gpu.Uuid ?? "",
            Severity = entry is null ? "" : _repeated.Share(entry.Severity.ToString().ToLowerInvariant()),
            RecommendedAction = entry?.RecommendedAction ?? "",
            Surfaces = surfaces,
            Driver = _repeated.Share(facts),
        };

        IReadOnlyList<DcgmFieldValue> dcgmValues = InjectionSurfaces.WritesDcgm(surfaces)
            ? [new DcgmFieldValue(DcgmFieldCatalog.Default.FindById(DcgmFieldCatalog.XidErrorsFieldId)!, request.Xid)]
            : [];
        return await RecordAsync(planned, lines, labels, request.DryRun, cancellationToken, dcgmValues).ConfigureAwait(false);
    }

    /// <summary>The GPU instance (and compute instance) must exist in the node's MIG layout; else NOT_FOUND naming those that do.</summary>
    private void CheckMigInstance(GpuInfo gpu, int? gpuInstance, int? computeInstance)
    {
        if (gpuInstance is not { } gi)
        {
            return;
        }

        var layout = string.Create(CultureInfo.InvariantCulture, $"{options.Value.ProcRoot}/driver/nvidia/capabilities/gpu{gpu.GpuId}/mig");
        var instance = gpu.MigInstances.FirstOrDefault(i => i.GpuInstance == gi);
        if (instance is null)
        {
            var found = gpu.MigInstances.Count == 0
                ? $"it has none: {layout} lists no gi<N> (MIG is off or no instance was created)"
                : "found: " + DescribeMig(gpu.MigInstances);
            throw new HardwareNotFoundException(string.Create(CultureInfo.InvariantCulture, $"GPU {gpu.GpuId} on node {_nodeName} has no MIG GPU instance {gi} ({found}).")) { Field = "gpu_instance" };
        }

        if (computeInstance is { } ci && !instance.ComputeInstances.Contains(ci))
        {
            var found = instance.ComputeInstances.Count == 0 ? "it has none" : "found: " + string.Join(", ", instance.ComputeInstances.Select(c => string.Create(CultureInfo.InvariantCulture, $"ci{c}")));
            throw new HardwareNotFoundException(string.Create(CultureInfo.InvariantCulture, $"MIG GPU instance {gi} of GPU {gpu.GpuId} on node {_nodeName} has no compute instance {ci} ({found}, under {layout}/gi{gi}).")) { Field = "compute_instance" };
        }
    }

    private static string DescribeMig(IEnumerable<MigGpuInstance> instances) =>
        string.Join(", ", instances.Select(i => string.Create(CultureInfo.InvariantCulture,
            $"gi{i.GpuInstance} ({(i.ComputeInstances.Count == 0 ? "no compute instance" : string.Join(", ", i.ComputeInstances.Select(c => string.Create(CultureInfo.InvariantCulture, $"ci{c}"))))})")));

    private async Task<GpuBoardInfo> GetBoardInfoAsync(GpuInfo gpu, CancellationToken cancellationToken) =>
        boardInfo is null
            ? GpuBoardInfo.Unknown("the agent has no nvidia-smi configured")
            : await boardInfo.GetAsync(gpu.PciBusId, cancellationToken).ConfigureAwait(false);

    private async Task<FaultInjectionResult> InjectSxidCoreAsync(SxidInjectionRequest request, string caller, InjectionMetricLabels labels, CancellationToken cancellationToken)
    {
        InjectionRequestChecks.CheckSxid(request);

        var fingerprint = FaultRequestValidator.Fingerprint(
            "sxid", request.FaultId, request.Sxid, request.NvSwitch, request.PciBusId, request.Link, request.Message, request.Duration?.Ticks,
            request.First, request.ErrorClass, string.Join(' ', request.Data), request.OmitCompanionRecords);
        if (!request.DryRun && await registry.FindReplayAsync(request.FaultId, request.IdempotencyKey, fingerprint, cancellationToken).ConfigureAwait(false) is { } replay)
        {
            return ReplayAnswer(new FaultInjectionResult(replay, Replayed: true, DryRun: false));
        }

        var pciBusId = request.PciBusId;
        if (string.IsNullOrEmpty(pciBusId))
        {
            var inventory = await discovery.DiscoverAsync(cancellationToken).ConfigureAwait(false);
            if (!inventory.NvSwitches.Any(s => s.Instance == request.NvSwitch))
            {
                inventory = await discovery.RefreshAsync(cancellationToken).ConfigureAwait(false);
            }

            var nvSwitch = inventory.NvSwitches.FirstOrDefault(s => s.Instance == request.NvSwitch)
                ?? throw new HardwareNotFoundException($"No NVSwitch nvidia-nvswitch{request.NvSwitch} on node {_nodeName} (found: {Describe(inventory.NvSwitches.Select(s => s.Instance))}); give pci_bus_id to name it.") { Field = "nvswitch" };
            pciBusId = nvSwitch.PciBusId;
            labels.FoundNvSwitch(nvSwitch.Instance);
        }

        var lines = _repeated.ShareCompanionRecords(lineBuilder.BuildSxid(new SxidLineRequest
        {
            Sxid = request.Sxid,
            NvSwitch = request.NvSwitch,
            PciBusId = pciBusId,
            Link = request.Link,
            Message = request.Message,
            ErrorClass = request.ErrorClass,
            First = request.First,
            Data = request.Data,
            OmitCompanionRecords = request.OmitCompanionRecords,
        }));
        var entry = catalog.FindSxid(request.Sxid);
        var planned = Plan(FaultKind.Sxid, request.Sxid, $"nvswitch_sxid_{request.Sxid}", request.FaultId, request.Duration, request.IdempotencyKey, caller, fingerprint, lines) with
        {
            PciBusId = pciBusId,
            NvSwitch = request.NvSwitch,
            Link = request.Link,
            Severity = entry is null ? "" : entry.Fatal ? "critical" : "warning",
            RecommendedAction = entry?.RecommendedAction ?? "",
            Driver = _repeated.Share(new DriverLineFacts("", "", "nvswitch", null, null, lines.Notes)),
        };

        return await RecordAsync(planned, lines, labels, request.DryRun, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What every injection plans from its request before its own fields (the GPU or NVSwitch, severity, driver facts): the
    /// caller's fault id or a new one, this node, the records as they will be written, active from now until
    /// <paramref name="duration"/> ends (unset: until cleared), the caller, the idempotency key and the request's fingerprint.
    /// </summary>
    private FaultRecord Plan(FaultKind kind, int code, string faultType, string? faultId, TimeSpan? duration, string? idempotencyKey, string caller, string fingerprint, InjectionLines lines)
    {
        var now = timeProvider.GetUtcNow();
        return new FaultRecord
        {
            FaultId = string.IsNullOrEmpty(faultId) ? NewFaultId() : faultId,
            NodeName = _nodeName,
            Kind = kind,
            Code = code,
            FaultType = _repeated.Share(faultType),
            Message = lines.Message,
            Line = lines.MonitorLine,
            Records = Planned(lines),
            State = FaultState.Active,
            InjectedAt = now,
            ExpiresAt = duration is { } active ? now + active : null,
            Caller = _repeated.Share(caller),
            IdempotencyKey = string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey,
            RequestFingerprint = fingerprint,
        };
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
            return ReplayAnswer(await dcgmFaults.RecordAsync(planned, dcgmValues, (p, ct) => RecordKernelLogAsync(p, kernelLines, labels, ct), dryRun, cancellationToken).ConfigureAwait(false));
        }

        if (dryRun)
        {
            return new FaultInjectionResult(planned, Replayed: false, DryRun: true);
        }

        var registration = await RecordKernelLogAsync(planned, kernelLines, labels, cancellationToken).ConfigureAwait(false);
        return ReplayAnswer(new FaultInjectionResult(registration.Fault, registration.Replayed, DryRun: false));
    }

    private async Task<FaultRegistration> RecordKernelLogAsync(FaultRecord planned, IReadOnlyList<KernelLogLine> lines, InjectionMetricLabels labels, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        FaultRegistration registration;
        try
        {
            registration = await pipeline.WriteAsync(planned, lines, cancellationToken).ConfigureAwait(false);
        }
        catch (KernelLogRecordLostException)
        {
            metrics?.Injection(labels, "dropped");
            metrics?.KernelLogWrite(timeProvider.GetElapsedTime(started), "dropped");
            throw;
        }
        catch (InjectionOutcomeException e)
        {
            var result = e.OutcomeUnknown ? "outcome_unknown" : "partially_written";
            metrics?.Injection(labels, result);
            metrics?.KernelLogWrite(timeProvider.GetElapsedTime(started), result);
            throw;
        }
        catch (Exception e) when (!IsRefusal(e) && e is not OperationCanceledException and not InjectionOutcomeException)
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

    /// <summary>
    /// A replay answers what the first request was answered: for a write whose outcome was unknown or partial, that is
    /// the same error again (<see cref="InjectionOutcomeException"/>), never a success and never a second write.
    /// </summary>
    private static FaultInjectionResult ReplayAnswer(FaultInjectionResult result) =>
        result.Replayed && result.Fault.WriteOutcome != FaultWriteOutcome.Verified ? throw new InjectionOutcomeException(result.Fault) : result;

    private string NewFaultId() => $"fault-{Guid.CreateVersion7(timeProvider.GetUtcNow()):N}";

    private static string Describe(IEnumerable<int> numbers)
    {
        var list = numbers.Order().ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
