using FaultAgent.Gpus;
using FaultAgent.Telemetry;
using Microsoft.Extensions.Logging;

namespace FaultAgent.Injection;

/// <summary>
/// Starts the board-serial lookup (nvidia-smi) for the GPUs whose preamble is still due each time the GPU inventory is
/// read (at start, after a boot id or driver change, after a miss), in the background, so a GPU's first Xid this boot
/// normally finds its serial kept instead of waiting for nvidia-smi (up to <c>Agent:Telemetry:BoardLookupWait</c>, then
/// refused). The source runs nvidia-smi at most once for it (<see cref="IGpuBoardInfoSource.LookAhead"/>) and nothing
/// waits for the run: not the start, not the read that told it (#14).
/// </summary>
public sealed class BoardSerialLookAhead(GpuPreambleLedger preambles, ILoggerFactory loggers, IGpuBoardInfoSource? boards = null) : IGpuInventoryListener
{
    public void InventoryRead(GpuInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        if (boards is not null && inventory.Gpus.Count > 0)
        {
            _ = Task.Run(() => LookAheadAsync(boards, inventory.Gpus), CancellationToken.None);
        }
    }

    private async Task LookAheadAsync(IGpuBoardInfoSource source, IReadOnlyList<GpuInfo> gpus)
    {
        try
        {
            var due = new List<string>(gpus.Count);
            foreach (var gpu in gpus)
            {
                if (await preambles.IsDueAsync(gpu.XidPci, CancellationToken.None).ConfigureAwait(false))
                {
                    due.Add(gpu.PciBusId);
                }
            }

            if (due.Count > 0)
            {
                source.LookAhead(due);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            TelemetryLog.LookAheadFailed(loggers.CreateLogger("FaultAgent.Injection.BoardSerialLookAhead"), e.Message);
        }
    }
}
