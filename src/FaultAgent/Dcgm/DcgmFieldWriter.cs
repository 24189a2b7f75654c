using FaultAgent.Registry;
using Microsoft.Extensions.Logging;

namespace FaultAgent.Dcgm;

/// <summary>
/// Writes and takes back DCGM field values, each proven by reading it back through DCGM: finds DCGM's GPU id by PCI bus
/// id (<c>dcgmi discovery -l</c>, never the minor number), reads the value before, injects, reads back; a value that did
/// not take is a <see cref="DcgmException"/> (<see cref="DcgmFailure.ValueNotKept"/>) and is taken back. Every write is
/// in the <see cref="DcgmWriteLedger"/> before dcgmi is asked, and settled there once taken back. Callers serialize
/// their DCGM work with <see cref="LockAsync"/>, so two writes of one field never interleave.
/// </summary>
public sealed class DcgmFieldWriter(DcgmiClient dcgmi, DcgmWriteLedger ledger, TimeProvider time, ILogger<DcgmFieldWriter> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string HostEngine => dcgmi.HostEngine;

    /// <summary>Holds the agent's DCGM lock until the returned handle is disposed.</summary>
    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new DcgmLockHandle(_gate);
    }

    /// <summary>The GPU with this PCI bus id (procfs form) as the hostengine lists it.</summary>
    public async Task<DcgmGpu> ResolveAsync(string pciBusId, CancellationToken cancellationToken)
    {
        var gpus = await dcgmi.DiscoverAsync(cancellationToken).ConfigureAwait(false);
        return gpus.FirstOrDefault(g => string.Equals(g.ProcfsPciBusId, pciBusId, StringComparison.OrdinalIgnoreCase))
            ?? throw new DcgmException(
                DcgmFailure.GpuNotManaged,
                $"The DCGM hostengine at {HostEngineText} does not manage the GPU at PCI {pciBusId}; dcgmi discovery -l lists "
                + (gpus.Count == 0 ? "no GPUs." : string.Join(", ", gpus.Select(g => $"GPU {g.DcgmGpuId} at {g.PciBusId}")) + "."))
            { HostEngine = HostEngine };
    }

    /// <summary>
    /// What writing <paramref name="value"/> would be: DCGM's GPU id, the value now, and the value that takes it back
    /// (<paramref name="holder"/>'s when another fault's write may still stand in the field — an open fault's, or an ended
    /// one's not yet taken back —, else the value now when it is a number, else the field's healthy value). Reads only.
    /// </summary>
    public async Task<DcgmFieldWriteRecord> PlanAsync(string pciBusId, DcgmFieldCatalogEntry field, long value, DcgmFieldWriteRecord? holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(field);
        var gpu = await ResolveAsync(pciBusId, cancellationToken).ConfigureAwait(false);
        var before = await dcgmi.ReadAsync(gpu.DcgmGpuId, field.FieldId, cancellationToken).ConfigureAwait(false);
        return new DcgmFieldWriteRecord
        {
            FieldId = field.FieldId,
            FieldName = field.Name,
            DcgmGpuId = gpu.DcgmGpuId,
            PciBusId = pciBusId,
            HostEngine = HostEngine,
            Value = value,
            ValueBefore = before.Text,
            RestoreValue = holder?.RestoreValue ?? before.Value ?? field.HealthyValue,
        };
    }

    /// <summary>
    /// Writes the planned value and reads it back. Once dcgmi is asked, the write runs to its end whatever the caller
    /// does (its own timeout bounds it). On any failure after the ledger entry, the value is taken back before the
    /// exception is rethrown.
    /// </summary>
    /// <exception cref="DcgmException">DCGM refused, was not reachable, or did not keep the value.</exception>
    /// <exception cref="FaultRegistryStorageException">The ledger cannot be written; nothing was injected.</exception>
    public async Task<DcgmFieldWriteRecord> WriteAsync(string faultId, DcgmFieldWriteRecord planned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            ledger.RecordWriting(faultId, planned, time.GetUtcNow());
        }
        catch (IOException e)
        {
            throw new FaultRegistryStorageException($"The DCGM write ledger {ledger.FilePath} cannot be written: {e.Message}. Nothing was injected.", e);
        }

        try
        {
            await dcgmi.InjectAsync(planned.DcgmGpuId, planned.FieldId, planned.Value, CancellationToken.None).ConfigureAwait(false);
            var read = await dcgmi.ReadAsync(planned.DcgmGpuId, planned.FieldId, CancellationToken.None).ConfigureAwait(false);
            if (read.Value != planned.Value)
            {
                throw new DcgmException(
                    DcgmFailure.ValueNotKept,
                    $"DCGM did not keep the value: {planned.FieldName} ({planned.FieldId}) of DCGM GPU {planned.DcgmGpuId} was injected as {planned.Value} and read back as {read.Text}.")
                { HostEngine = HostEngine };
            }

            var written = planned with { ReadBack = read.Text, VerifiedAt = time.GetUtcNow() };
            DcgmLog.Written(logger, faultId, planned.FieldId, planned.DcgmGpuId, planned.Value, planned.ValueBefore);
            return written;
        }
        catch (DcgmException e) when (e.Failure is DcgmFailure.HostEngineUnreachable or DcgmFailure.InjectionRejected or DcgmFailure.ToolUnavailable)
        {
            // Nothing reached DCGM's cache.
            ledger.Settle(faultId, planned, time.GetUtcNow());
            throw;
        }
        catch (Exception)
        {
            await RollBackAsync(faultId, planned).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Takes back a write whose fault was not recorded after all (the kernel-log write failed, a stop engaged).</summary>
    public async Task RollBackAsync(string faultId, DcgmFieldWriteRecord write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var restored = await RestoreAsync(faultId, write, CancellationToken.None).ConfigureAwait(false);
        if (restored.RestoreState != DcgmRestoreState.Restored)
        {
            // Left open in the ledger: the restore pass retries it.
            DcgmLog.RollBackFailed(logger, faultId, write.FieldId, write.PciBusId, restored.RestoreDetail);
        }
    }

    /// <summary>
    /// Writes <see cref="DcgmFieldWriteRecord.RestoreValue"/> back (finding DCGM's GPU id again: it may have changed) and
    /// reads it back. Never throws for DCGM's failures: they come back as <see cref="DcgmRestoreState.Failed"/> with the reason.
    /// </summary>
    public async Task<DcgmFieldWriteRecord> RestoreAsync(string faultId, DcgmFieldWriteRecord write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            var gpu = await ResolveAsync(write.PciBusId, cancellationToken).ConfigureAwait(false);
            await dcgmi.InjectAsync(gpu.DcgmGpuId, write.FieldId, write.RestoreValue, cancellationToken).ConfigureAwait(false);
            var read = await dcgmi.ReadAsync(gpu.DcgmGpuId, write.FieldId, cancellationToken).ConfigureAwait(false);
            if (read.Value != write.RestoreValue)
            {
                return Failed(write, $"wrote {write.RestoreValue} back into {write.FieldName} of DCGM GPU {gpu.DcgmGpuId} and read back {read.Text}");
            }

            var now = time.GetUtcNow();
            ledger.Settle(faultId, write, now);
            DcgmLog.Restored(logger, faultId, write.FieldId, gpu.DcgmGpuId, write.RestoreValue);
            return write with { RestoreState = DcgmRestoreState.Restored, RestoredReadBack = read.Text, RestoredAt = now, RestoreDetail = "" };
        }
        catch (DcgmException e)
        {
            return Failed(write, e.Message);
        }
    }

    /// <summary>Marks the write taken back without writing: another open fault holds the field, or DCGM started over.</summary>
    public DcgmFieldWriteRecord Settle(string faultId, DcgmFieldWriteRecord write, DcgmRestoreState state, string detail)
    {
        ArgumentNullException.ThrowIfNull(write);
        var now = time.GetUtcNow();
        ledger.Settle(faultId, write, now);
        return write with { RestoreState = state, RestoredAt = now, RestoreDetail = detail };
    }

    public void Dispose() => _gate.Dispose();

    private string HostEngineText => HostEngine.Length == 0 ? "localhost" : HostEngine;

    private DcgmFieldWriteRecord Failed(DcgmFieldWriteRecord write, string detail) =>
        write with { RestoreState = DcgmRestoreState.Failed, RestoreDetail = detail, RestoredAt = time.GetUtcNow() };
}
