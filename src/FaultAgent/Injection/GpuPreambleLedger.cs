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
/// gone on without the preamble, its Xid line could land before the preamble (the first injection still asking
/// nvidia-smi for the board serial) or with none before it at all (the first one refused after its reservation), where
/// the driver prints the preamble before the GPU's first Xid, always.
/// </summary>
public sealed class GpuPreambleLedger(IBootIdSource bootIds, IOptions<AgentOptions> options, ILogger<GpuPreambleLedger> logger) : IDisposable
{
    public const string FileName = "gpu-preamble.json";

    private readonly SemaphoreSlim _gate = new(1, 1);
    /// <summary>The GPUs whose preamble an injection is writing now, each with what completes when it is printed or released.</summary>
    private readonly Dictionary<string, TaskCompletionSource> _reserved = new(StringComparer.OrdinalIgnoreCase);
    private HashSet<string>? _printed;
    private string _bootId = "";

    private string FilePath => Path.Combine(options.Value.StateDirectory, FileName);

    /// <summary>True when this GPU's preamble was neither written nor reserved in this boot (a dry run's view).</summary>
    public async Task<bool> IsDueAsync(string xidPci, CancellationToken cancellationToken)
    {
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

    /// <summary>Nothing was written: the preamble is due again.</summary>
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
            var added = printed.Add(xidPci);
            EndReservation(xidPci);
            if (!added)
            {
                return;
            }

            try
            {
                var temporary = FilePath + ".tmp";
                var json = JsonSerializer.SerializeToUtf8Bytes(new GpuPreambleState(_bootId, [.. printed.Order(StringComparer.Ordinal)]), GpuPreambleJsonContext.Default.GpuPreambleState);
                await File.WriteAllBytesAsync(temporary, json, cancellationToken).ConfigureAwait(false);
                File.Move(temporary, FilePath, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                // The record is in the kernel log either way; only a restart would then print the preamble once more.
                InjectionLog.PreambleNotSaved(logger, FilePath, e.Message);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Ends this GPU's reservation and wakes the injections waiting for it (under <see cref="_gate"/>).</summary>
    private void EndReservation(string xidPci)
    {
        if (_reserved.Remove(xidPci, out var holder))
        {
            holder.TrySetResult();
        }
    }

    private async Task<HashSet<string>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_printed is not null)
        {
            return _printed;
        }

        var bootId = await bootIds.GetBootIdAsync(cancellationToken).ConfigureAwait(false);
        _bootId = bootId;
        _printed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            if (File.Exists(FilePath))
            {
                var state = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(FilePath, cancellationToken).ConfigureAwait(false), GpuPreambleJsonContext.Default.GpuPreambleState);
                if (state is not null && state.BootId == bootId)
                {
                    _printed.UnionWith(state.Printed);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            InjectionLog.PreambleNotSaved(logger, FilePath, $"unreadable, starting empty: {e.Message}");
        }

        return _printed;
    }
}
