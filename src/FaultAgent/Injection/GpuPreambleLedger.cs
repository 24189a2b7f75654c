using System.Text.Json;
using FaultAgent.Hosting;
using FaultAgent.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Injection;

/// <summary>
/// Which GPUs already had their driver preamble (<c>NVRM: GPU at PCI:...: GPU-&lt;uuid&gt;</c> and
/// <c>NVRM: GPU Board Serial Number: ...</c>) written in this boot. The driver prints it once per GPU per driver load,
/// before that GPU's first Xid (<c>_krcLogUuidOnce</c>, <c>bGpuUuidLoggedOnce</c>); the agent does the same per boot id.
/// The set survives agent restarts in <c>Agent:StateDirectory/gpu-preamble.json</c> (written beside and renamed over)
/// and starts empty when the boot id changed. The boot id is read once, at the first use, not per injection: the
/// kernel's boot id cannot change under a running agent (a reboot ends the process), and a new process reads it again. An injection reserves the preamble before writing and marks it printed
/// once its records are in the kernel log (or releases it when nothing was written), so two injections on one GPU at
/// once write it once. Another injection on that GPU meanwhile waits for the reservation to end (#14, redteam4): had it
/// gone on without the preamble, its Xid line could land before the preamble or with none before it at all (the first
/// one refused after its reservation), where the driver prints the preamble before the GPU's first Xid, always. The
/// reservation is taken once the board serial is known (<see cref="Faults.FaultInjectionService"/>), so it lasts only the write.
/// </summary>
/// <remarks>
/// The file is saved after the kernel write; an agent killed in between (preamblecrash) left the GPU out of it, and
/// printed the preamble a second time at the next Xid. The fault journal is written ahead of the kernel (a pending entry,
/// then the fault recorded with the kernel's proof, or resolved against the kernel log at the next start), and a fault's
/// records tell whether its write carried the preamble (<see cref="GpuPreambleRecords.PrintedBy"/>); so at its start the
/// registry hands this boot's faults to the ledger (<see cref="RecoveredAsync"/>), which adds every GPU one of them
/// printed the preamble of and saves the set. A GPU whose write provably left nothing in the kernel log stays due.
/// Once a GPU is printed, asking for it takes no lock: the set is replaced whole (under the gate) when a GPU is added.
/// </remarks>
public sealed class GpuPreambleLedger(IBootIdSource bootIds, IOptions<AgentOptions> options, ILogger<GpuPreambleLedger> logger) : IRecoveredFaultsListener, IDisposable
{
    public const string FileName = "gpu-preamble.json";

    private readonly SemaphoreSlim _gate = new(1, 1);
    /// <summary>The GPUs whose preamble an injection is writing now, each with what completes when it is printed or released.</summary>
    private readonly Dictionary<string, TaskCompletionSource> _reserved = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>The printed GPUs: never changed once published (read without the gate), replaced under the gate.</summary>
    private HashSet<string>? _printed;
    private string _bootId = "";

    private string FilePath => Path.Combine(options.Value.StateDirectory, FileName);

    /// <summary>True when this GPU's preamble was neither written nor reserved in this boot (a dry run's view).</summary>
    public async Task<bool> IsDueAsync(string xidPci, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _printed)?.Contains(xidPci) == true)
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var printed = await LoadAsync(cancellationToken).ConfigureAwait(false);
            return !printed.Contains(xidPci) && !_reserved.ContainsKey(xidPci);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reserves the preamble for the caller when it is due; the caller then writes it and calls <see cref="MarkPrintedAsync"/>
    /// or <see cref="Release"/>. While another injection holds this GPU's reservation, waits for it to end first: false
    /// once that one printed it, the reservation when it released it.
    /// </summary>
    public async Task<bool> TryReserveAsync(string xidPci, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Volatile.Read(ref _printed)?.Contains(xidPci) == true)
            {
                return false;
            }

            Task held;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var printed = await LoadAsync(cancellationToken).ConfigureAwait(false);
                if (printed.Contains(xidPci))
                {
                    return false;
                }

                if (!_reserved.TryGetValue(xidPci, out var holder))
                {
                    _reserved.Add(xidPci, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    return true;
                }

                held = holder.Task;
            }
            finally
            {
                _gate.Release();
            }

            await held.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Nothing of the preamble was written: it is due again.</summary>
    public void Release(string xidPci)
    {
        _gate.Wait();
        try
        {
            EndReservation(xidPci);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The preamble is in the kernel log: remember it for the rest of this boot.</summary>
    public async Task MarkPrintedAsync(string xidPci, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var printed = await LoadAsync(CancellationToken.None).ConfigureAwait(false);
            var added = !printed.Contains(xidPci);
            if (added)
            {
                printed = Publish(printed, [xidPci]);
            }

            EndReservation(xidPci);
            if (added)
            {
                await SaveAsync(printed, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// At the registry's start: every GPU whose preamble one of this boot's faults wrote (or may have: an unknown
    /// outcome, a pending entry the kernel log could not resolve) is printed, and the set is saved when that added any.
    /// </summary>
    public async Task RecoveredAsync(string bootId, IReadOnlyList<FaultRecord> faults, IReadOnlyList<FaultRecord> unresolved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(unresolved);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var printed = await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (!string.Equals(bootId, _bootId, StringComparison.Ordinal))
            {
                return;
            }

            List<string>? found = null;
            foreach (var fault in faults.Concat(unresolved))
            {
                if (GpuPreambleRecords.PrintedBy(fault) && GpuPreambleRecords.XidPciOf(fault) is { } xidPci && !printed.Contains(xidPci) && (found is null || !found.Contains(xidPci, StringComparer.OrdinalIgnoreCase)))
                {
                    (found ??= []).Add(xidPci);
                }
            }

            if (found is null)
            {
                return;
            }

            var gpus = string.Join(", ", found);
            InjectionLog.PreambleRecovered(logger, gpus, FilePath);
            await SaveAsync(Publish(printed, found), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Publishes a new set: <paramref name="printed"/> and <paramref name="added"/> (under <see cref="_gate"/>).</summary>
    private HashSet<string> Publish(HashSet<string> printed, IEnumerable<string> added)
    {
        var next = new HashSet<string>(printed, StringComparer.OrdinalIgnoreCase);
        next.UnionWith(added);
        Volatile.Write(ref _printed, next);
        return next;
    }

    private async Task SaveAsync(HashSet<string> printed, CancellationToken cancellationToken)
    {
        try
        {
            var temporary = FilePath + ".tmp";
            var json = JsonSerializer.SerializeToUtf8Bytes(new GpuPreambleState(_bootId, [.. printed.Order(StringComparer.Ordinal)]), GpuPreambleJsonContext.Default.GpuPreambleState);
            await File.WriteAllBytesAsync(temporary, json, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, FilePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // The record is in the kernel log either way, and the fault journal says so: the next start learns it again.
            InjectionLog.PreambleNotSaved(logger, FilePath, e.Message);
        }
    }

    /// <summary>Ends this GPU's reservation and wakes the injections waiting for it (under <see cref="_gate"/>).</summary>
    private void EndReservation(string xidPci)
    {
        if (_reserved.Remove(xidPci, out var holder))
        {
            holder.TrySetResult();
        }
    }

    /// <summary>The printed set, loaded from the file at the first use (under <see cref="_gate"/>).</summary>
    private async Task<HashSet<string>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_printed is { } loaded)
        {
            return loaded;
        }

        var bootId = await bootIds.GetBootIdAsync(cancellationToken).ConfigureAwait(false);
        _bootId = bootId;
        var printed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            if (File.Exists(FilePath))
            {
                var state = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(FilePath, cancellationToken).ConfigureAwait(false), GpuPreambleJsonContext.Default.GpuPreambleState);
                if (state is not null && state.BootId == bootId)
                {
                    printed.UnionWith(state.Printed);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            InjectionLog.PreambleNotSaved(logger, FilePath, $"unreadable, starting empty: {e.Message}");
        }

        Volatile.Write(ref _printed, printed);
        return printed;
    }
}
