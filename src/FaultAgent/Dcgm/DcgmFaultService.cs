using System.Globalization;
using FaultAgent.Faults;
using FaultAgent.Gpus;
using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Dcgm;

/// <summary>
/// Faults on the DCGM surface: InjectDcgmField's own faults, the DCGM side of an Xid injected with the <c>dcgm</c> surface,
/// and taking the values back when such faults end. An injection writes DCGM first (every value read back), then the
/// kernel log through the registry, and takes the DCGM values back when the kernel-log write or the recording fails,
/// so nothing half-done is left on record or in DCGM. All of it runs under the agent's DCGM lock.
/// </summary>
public sealed class DcgmFaultService(
    DcgmFieldWriter writer,
    DcgmFieldCatalog catalog,
    DcgmWriteLedger ledger,
    FaultRegistry registry,
    InjectionPipeline pipeline,
    IGpuDiscovery discovery,
    TimeProvider timeProvider,
    IOptions<AgentOptions> options,
    ILogger<DcgmFaultService> logger)
{
    public const string KernelLogSurface = "kmsg";
    public const string DcgmSurface = "dcgm";

    private readonly string _nodeName = options.Value.NodeName;

    /// <summary>Sets one DCGM field of one GPU, verified, and records it as a <see cref="FaultKind.DcgmField"/> fault.</summary>
    public async Task<FaultInjectionResult> InjectFieldAsync(DcgmFieldInjectionRequest request, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var violations = new List<FaultFieldViolation>();
        if (request.GpuId < 0)
        {
            violations.Add(new("gpu_id", "must be a Device Minor (0 or more)"));
        }

        var field = catalog.Find(request.Field);
        if (string.IsNullOrWhiteSpace(request.Field))
        {
            violations.Add(new("field", "is required: a DCGM field id or name from the catalog (GetDcgmFieldCatalog)"));
        }
        else if (field is null)
        {
            violations.Add(new("field", $"is not a field of the catalog; use one of {string.Join(", ", catalog.Fields.Select(f => $"{f.FieldId} ({f.Name})"))}"));
        }

        long value = 0;
        if (string.IsNullOrWhiteSpace(request.Value))
        {
            violations.Add(new("value", "is required"));
        }
        else if (!long.TryParse(request.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            violations.Add(new("value", "must be a decimal integer (the catalog's fields are int64)"));
        }
        else if (field is not null && (value < field.MinValue || value > field.MaxValue))
        {
            violations.Add(new("value", $"must be from {field.MinValue} to {field.MaxValue} for {field.Name}"));
        }

        FaultRequestValidator.CheckFaultId(request.FaultId, violations);
        FaultRequestValidator.CheckIdempotencyKey(request.IdempotencyKey, violations);
        FaultRequestValidator.CheckDuration(request.Duration, violations);
        FaultRequestValidator.ThrowIfAny(violations);

        var fingerprint = FaultRequestValidator.Fingerprint("dcgm-field", request.FaultId, request.GpuId, field!.FieldId, value, request.Duration?.Ticks);
        if (!request.DryRun && await registry.FindReplayAsync(request.FaultId, request.IdempotencyKey, fingerprint, cancellationToken).ConfigureAwait(false) is { } replay)
        {
            return new FaultInjectionResult(replay, Replayed: true, DryRun: false);
        }

        var inventory = await discovery.DiscoverAsync(cancellationToken).ConfigureAwait(false);
        if (inventory.FindGpu(request.GpuId) is null)
        {
            inventory = await discovery.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        var gpu = inventory.FindGpu(request.GpuId)
            ?? throw new HardwareNotFoundException($"No GPU with gpu_id {request.GpuId} on node {_nodeName} (found: {Describe(inventory.Gpus.Select(g => g.GpuId))}).") { Field = "gpu_id" };
        var now = timeProvider.GetUtcNow();
        var planned = new FaultRecord
        {
            FaultId = string.IsNullOrEmpty(request.FaultId) ? $"fault-{Guid.CreateVersion7(now):N}" : request.FaultId,
            NodeName = _nodeName,
            Kind = FaultKind.DcgmField,
            Code = field.FieldId,
            FaultType = $"gpu_dcgm_field_{field.FieldId}",
            GpuId = gpu.GpuId,
            PciBusId = gpu.PciBusId,
            GpuUuid = gpu.Uuid ?? "",
            Message = $"{field.Name} = {value.ToString(CultureInfo.InvariantCulture)}",
            State = FaultState.Active,
            InjectedAt = now,
            ExpiresAt = request.Duration is { } duration ? now + duration : null,
            Caller = caller,
            IdempotencyKey = string.IsNullOrEmpty(request.IdempotencyKey) ? null : request.IdempotencyKey,
            RequestFingerprint = fingerprint,
            Surfaces = [DcgmSurface],
        };

        return await RecordAsync(planned, [new DcgmFieldValue(field, value)], (p, ct) => pipeline.WriteAsync(p, [], ct), request.DryRun, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes <paramref name="values"/> into DCGM for <paramref name="planned"/> (each read back), then records the fault
    /// with <paramref name="record"/> (the pipeline's write of the kernel-log lines, none for a DCGM-only fault). A value on
    /// a cell another fault's write may still stand in (<see cref="StandingWritesAsync"/>) takes that write's restore value. A dry run finds DCGM's GPU and reads
    /// the values now, and writes nothing. On any failure after a DCGM write, that write is taken back before the error
    /// is rethrown, unless the registry kept the fault (then it is taken back when the fault ends).
    /// </summary>
    public async Task<FaultInjectionResult> RecordAsync(
        FaultRecord planned,
        IReadOnlyList<DcgmFieldValue> values,
        Func<FaultRecord, CancellationToken, Task<FaultRegistration>> record,
        bool dryRun,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(record);
        using var dcgmLock = await writer.LockAsync(cancellationToken).ConfigureAwait(false);
        if (!dryRun && await registry.FindReplayAsync(planned.FaultId, planned.IdempotencyKey, planned.RequestFingerprint, cancellationToken).ConfigureAwait(false) is { } replay)
        {
            // An identical request finished while this one waited for the lock.
            return new FaultInjectionResult(replay, Replayed: true, DryRun: false);
        }

        var standing = await StandingWritesAsync(cancellationToken).ConfigureAwait(false);
        var plans = new List<DcgmFieldWriteRecord>(values.Count);
        foreach (var (field, value) in values)
        {
            var holder = standing
                .FirstOrDefault(w => w.FieldId == field.FieldId && w.HostEngine == writer.HostEngine && string.Equals(w.PciBusId, planned.PciBusId, StringComparison.OrdinalIgnoreCase));
            plans.Add(await writer.PlanAsync(planned.PciBusId, field, value, holder, cancellationToken).ConfigureAwait(false));
        }

        if (dryRun)
        {
            return new FaultInjectionResult(planned with { DcgmWrites = plans }, Replayed: false, DryRun: true);
        }

        // Refused before DCGM is touched (emergency stop, the node's limits: a refused injection must not show in DCGM even
        // briefly); a refusal after this point comes from the injection pipeline, and the writes are taken back.
        await pipeline.CheckAdmissionAsync(cancellationToken).ConfigureAwait(false);
        var written = new List<DcgmFieldWriteRecord>(plans.Count);
        try
        {
            foreach (var plan in plans)
            {
                written.Add(await writer.WriteAsync(planned.FaultId, plan, cancellationToken).ConfigureAwait(false));
            }

            var registration = await record(planned with { DcgmWrites = written }, cancellationToken).ConfigureAwait(false);
            return new FaultInjectionResult(registration.Fault, registration.Replayed, DryRun: false);
        }
        catch (Exception e) when (written.Count > 0)
        {
            if (!await IsRecordedAsync(planned).ConfigureAwait(false))
            {
                foreach (var write in written)
                {
                    await writer.RollBackAsync(planned.FaultId, write).ConfigureAwait(false);
                }

                // These two refusals say nothing was written: true of the kernel log and the registry, not of DCGM,
                // which held the values (each read back) until now. Their answer names the fields.
                var fields = written.Select(w => w.FieldId).ToList();
                switch (e)
                {
                    case KernelLogRecordLostException lost:
                        throw lost.AfterDcgmWrites(fields);
                    case FaultRegistryStorageException storage:
                        throw storage.AfterDcgmWrites(fields);
                    default:
                        break;
                }
            }

            throw;
        }
    }

    /// <summary>
    /// After a clear: takes the fault's DCGM values back (see <see cref="RestoreAsync"/>) and returns the fault with the
    /// proof; a fault without DCGM values comes back as it is, without touching DCGM.
    /// </summary>
    public Task<FaultRecord> TakeBackAsync(FaultRecord fault, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return fault.DcgmWrites.Count == 0 || fault.State.IsOpen()
            ? Task.FromResult(fault)
            : RestoreAsync(fault.FaultId, cancellationToken);
    }

    /// <summary>
    /// Takes back the DCGM values of an ended fault: each is written back and read back, or held when another open
    /// fault wrote the same field of the same GPU, or moot when the node rebooted. Records the outcome on the fault and
    /// returns it. A value that could not be written back stays <see cref="DcgmRestoreState.Failed"/> (retried later).
    /// <paramref name="cancellationToken"/> stops only the wait for the DCGM lock: once it is held the write-back runs
    /// to its end and is recorded whatever the caller does (a clear whose client went away), as a write does
    /// (<see cref="DcgmFieldWriter.WriteAsync"/>) — cut off after dcgmi stored the value, it was written again by the
    /// next restore pass.
    /// </summary>
    public async Task<FaultRecord> RestoreAsync(string faultId, CancellationToken cancellationToken)
    {
        using var dcgmLock = await writer.LockAsync(cancellationToken).ConfigureAwait(false);
        var fault = await registry.GetAsync(faultId, CancellationToken.None).ConfigureAwait(false);
        if (fault.State.IsOpen() || !fault.DcgmWrites.Any(w => w.NeedsRestore))
        {
            return fault;
        }

        var open = await registry.ListAsync(activeOnly: true, CancellationToken.None).ConfigureAwait(false);
        var restored = new List<DcgmFieldWriteRecord>(fault.DcgmWrites.Count);
        var writtenBackNow = new List<DcgmFieldWriteRecord>(fault.DcgmWrites.Count);
        foreach (var write in fault.DcgmWrites)
        {
            if (!write.NeedsRestore)
            {
                restored.Add(write);
                continue;
            }

            var result = await RestoreOneAsync(fault, write, open, CancellationToken.None).ConfigureAwait(false);
            restored.Add(result);
            if (result.RestoreState == DcgmRestoreState.Restored)
            {
                writtenBackNow.Add(result);
            }
        }

        var updated = await registry.UpdateAsync(fault.FaultId, f => f with { DcgmWrites = restored }, CancellationToken.None).ConfigureAwait(false);
        await SettleCoveredAsync(updated.FaultId, writtenBackNow).ConfigureAwait(false);
        return updated;
    }

    /// <summary>
    /// After fault <paramref name="faultId"/>'s values <paramref name="restored"/> were written back in this very call, the
    /// DCGM lock held since before them (the caller's): another ended fault whose write on the same cell is not taken back
    /// yet, with the same restore value, was covered by that write-back — its value stood before it (no write can come
    /// between under the lock; no open fault holds the cell, or it would have been held) and the cell now holds the value
    /// both restore — so it is settled as restored by it instead of written again (two overlapping faults ended together:
    /// both expired while the agent was down, one emergency stop, two clears at once). Only this call's write-backs count:
    /// one from an earlier call (the fault retried for another of its fields) ran before a later fault's write on the cell,
    /// whose value DCGM may still hold.
    /// </summary>
    private async Task SettleCoveredAsync(string faultId, List<DcgmFieldWriteRecord> restored)
    {
        if (restored.Count == 0)
        {
            return;
        }

        // The write-back of this call that covers write w, or null.
        DcgmFieldWriteRecord? CoveredBy(DcgmFieldWriteRecord w) =>
            w.NeedsRestore ? restored.FirstOrDefault(r => r.SameCell(w) && r.RestoreValue == w.RestoreValue) : null;

        var faults = await registry.ListWithDcgmWritesAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var other in faults.Where(f => f.FaultId != faultId && !f.State.IsOpen()))
        {
            if (!other.DcgmWrites.Any(w => CoveredBy(w) is not null))
            {
                continue;
            }

            var settled = other.DcgmWrites.Select(w =>
                CoveredBy(w) is { } by
                    ? writer.Settle(other.FaultId, w, DcgmRestoreState.Restored, $"taken back by fault {faultId}'s write-back of {by.RestoreValue.ToString(CultureInfo.InvariantCulture)} into {w.FieldName} of this GPU, which ended too; nothing written again") with { RestoredReadBack = by.RestoredReadBack }
                    : w).ToList();
            await registry.UpdateAsync(other.FaultId, f => f with { DcgmWrites = settled }, CancellationToken.None).ConfigureAwait(false);
            DcgmLog.Covered(logger, other.FaultId, faultId);
        }
    }

    /// <summary>
    /// One pass over everything that may still stand in DCGM: ended faults whose values are not taken back yet, and
    /// ledger entries of writes whose fault was never recorded (the agent stopped between the DCGM write and the record).
    /// Returns how many values are still not taken back.
    /// </summary>
    public async Task<int> RestorePassAsync(CancellationToken cancellationToken)
    {
        var remaining = 0;
        var faults = await registry.ListWithDcgmWritesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var fault in faults.Where(f => !f.State.IsOpen() && f.DcgmWrites.Any(w => w.NeedsRestore)))
        {
            var after = await RestoreAsync(fault.FaultId, cancellationToken).ConfigureAwait(false);
            remaining += after.DcgmWrites.Count(w => w.NeedsRestore);
        }

        foreach (var entry in ledger.Open)
        {
            remaining += await SettleLedgerEntryAsync(entry, cancellationToken).ConfigureAwait(false) ? 0 : 1;
        }

        return remaining;
    }

    private async Task<bool> SettleLedgerEntryAsync(DcgmLedgerEntry entry, CancellationToken cancellationToken)
    {
        var write = entry.Write!;
        using var dcgmLock = await writer.LockAsync(cancellationToken).ConfigureAwait(false);
        FaultRecord? fault;
        try
        {
            fault = await registry.GetAsync(entry.FaultId, cancellationToken).ConfigureAwait(false);
        }
        catch (FaultNotFoundException)
        {
            fault = null;
        }

        var recorded = fault?.DcgmWrites.FirstOrDefault(w => w.SameCell(write));
        if (fault is not null && recorded is not null)
        {
            if (fault.State.IsOpen() || recorded.NeedsRestore)
            {
                return fault.State.IsOpen(); // the fault's own restore takes it back
            }

            writer.Settle(entry.FaultId, write, recorded.RestoreState, recorded.RestoreDetail); // its settled line was lost
            return true;
        }

        // Written to DCGM but never recorded (or its record pruned): take it back unless an open fault holds the field.
        DcgmLog.OrphanWrite(logger, entry.FaultId, write.FieldId, write.PciBusId);
        var open = await registry.ListAsync(activeOnly: true, cancellationToken).ConfigureAwait(false);
        var placeholder = fault ?? new FaultRecord { FaultId = entry.FaultId, NodeName = _nodeName, Kind = FaultKind.DcgmField, Code = write.FieldId, FaultType = "", State = FaultState.Cleared, PciBusId = write.PciBusId };
        var result = await RestoreOneAsync(placeholder, write, open, cancellationToken).ConfigureAwait(false);
        return !result.NeedsRestore;
    }

    private async Task<DcgmFieldWriteRecord> RestoreOneAsync(FaultRecord fault, DcgmFieldWriteRecord write, IReadOnlyList<FaultRecord> open, CancellationToken cancellationToken)
    {
        if (fault.State == FaultState.ResolvedByReboot)
        {
            return writer.Settle(fault.FaultId, write, DcgmRestoreState.NotNeeded, "the node rebooted since the write: the hostengine started over without the injected value, so nothing was written back");
        }

        var holder = open.FirstOrDefault(f => f.FaultId != fault.FaultId && f.DcgmWrites.Any(w => w.SameCell(write)));
        if (holder is not null)
        {
            return writer.Settle(fault.FaultId, write, DcgmRestoreState.Held, $"fault {holder.FaultId} also wrote {write.FieldName} of this GPU and is still open; it writes {write.RestoreValue.ToString(CultureInfo.InvariantCulture)} back when it ends");
        }

        return await writer.RestoreAsync(fault.FaultId, write, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The values that may still stand in DCGM on some fault's account, oldest first: the writes of open faults, the
    /// writes of ended faults not yet taken back (a clear's write-back that failed and waits for its retry, was cut off by
    /// a SIGKILL and waits for the restarted agent's pass, or waits for the DCGM lock right now), and the ledger's writes
    /// whose fault was never recorded. Each carries the value from before them all (a later write on a cell takes its
    /// restore value from the earlier one), so a new write on the same cell restores that value, not one of theirs: read
    /// from DCGM now, it would be a value injected for a fault that already ended, and the new fault's end would write it
    /// back with no fault left open to clear it.
    /// </summary>
    private async Task<List<DcgmFieldWriteRecord>> StandingWritesAsync(CancellationToken cancellationToken)
    {
        var faults = await registry.ListWithDcgmWritesAsync(cancellationToken).ConfigureAwait(false);
        var standing = faults.SelectMany(f => f.DcgmWrites.Where(w => f.State.IsOpen() || w.NeedsRestore)).ToList();
        var recorded = faults.Select(f => f.FaultId).ToHashSet(StringComparer.Ordinal);
        standing.AddRange(ledger.Open.Where(e => e.Write is not null && !recorded.Contains(e.FaultId)).Select(e => e.Write!));
        return standing;
    }

    /// <summary>True when the registry kept this very request's fault (with its DCGM writes) although recording it failed.</summary>
    private async Task<bool> IsRecordedAsync(FaultRecord planned)
    {
        try
        {
            var fault = await registry.GetAsync(planned.FaultId, CancellationToken.None).ConfigureAwait(false);
            return fault.RequestFingerprint == planned.RequestFingerprint && fault.DcgmWrites.Count > 0;
        }
        catch (FaultNotFoundException)
        {
            return false;
        }
    }

    private static string Describe(IEnumerable<int> numbers)
    {
        var list = numbers.Order().ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
