using System.Collections.Concurrent;
using System.Globalization;
using FaultAgent.HostProcesses;
using FaultAgent.Injection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Telemetry;

/// <summary>
/// Board serials and PCI ids from the host's nvidia-smi (<c>--query-gpu=pci.bus_id,serial,pci.device_id</c>), the
/// values the driver prints in its preamble, Xid 79's follow-up and its probe message. A GPU's values are kept once
/// learned (they belong to the board); a failed lookup is not kept, so the next injection asks again. A missing tool,
/// an unenterable host namespace, a timeout or a failed run make the values unknown (with the reason), never an error.
/// </summary>
public sealed class NvidiaSmiBoardInfoSource(
    IHostCommandRunner runner,
    IOptions<HostToolsOptions> tools,
    IOptions<TelemetryOptions> options,
    ILogger<NvidiaSmiBoardInfoSource> logger) : IGpuBoardInfoSource
{
    private readonly ConcurrentDictionary<string, GpuBoardInfo> _known = new(StringComparer.OrdinalIgnoreCase);

    public async Task<GpuBoardInfo> GetAsync(string pciBusId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pciBusId);
        if (_known.TryGetValue(pciBusId, out var known))
        {
            return known;
        }

        var command = NvidiaSmiCommand.Create(tools.Value, ["--query-gpu=pci.bus_id,serial,pci.device_id", "--format=csv,noheader"], options.Value.CommandTimeout);
        HostCommandResult run;
        try
        {
            run = await runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (HostCommandException e)
        {
            TelemetryLog.BoardInfoUnavailable(logger, pciBusId, e.Message);
            return GpuBoardInfo.Unknown($"nvidia-smi could not be run: {e.Message}");
        }

        if (run.ExitCode != 0)
        {
            var detail = (run.StandardError.Trim().Length > 0 ? run.StandardError : run.StandardOutput).Trim();
            TelemetryLog.BoardInfoUnavailable(logger, pciBusId, detail);
            return GpuBoardInfo.Unknown(string.Create(CultureInfo.InvariantCulture, $"nvidia-smi exited with {run.ExitCode}: {detail}"));
        }

        foreach (var (busId, info) in Parse(run.StandardOutput))
        {
            if (info.UnavailableReason is null)
            {
                _known[busId] = info;
            }

            if (string.Equals(busId, pciBusId, StringComparison.OrdinalIgnoreCase))
            {
                known = info;
            }
        }

        return known ?? GpuBoardInfo.Unknown($"nvidia-smi lists no GPU at {pciBusId}");
    }

    /// <summary>Parses <c>00000000:18:00.0, 1650124031592, 0x233010DE</c> lines into procfs bus id and board info.</summary>
    public static IEnumerable<(string BusId, GpuBoardInfo Info)> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            if (cells.Length != 3 || NvidiaSmiValue.AsText(cells[0]) is not { } bus)
            {
                continue;
            }

            var serial = NvidiaSmiValue.AsText(cells[1]);
            var pciId = ParsePciId(cells[2]);
            var reasons = new List<string>(2);
            if (serial is null)
            {
                reasons.Add($"nvidia-smi reports no board serial ({cells[1]})");
            }

            if (pciId is null)
            {
                reasons.Add($"nvidia-smi reports no PCI device id ({cells[2]})");
            }

            yield return (PciBusIdFormat.ToProcfs(bus), new GpuBoardInfo(serial, pciId, reasons.Count == 0 ? null : string.Join("; ", reasons)));
        }
    }

    /// <summary><c>0x233010DE</c> (device id, then vendor id) to <c>10de:2330</c>, as the driver prints <c>%04x:%04x</c>.</summary>
    public static string? ParsePciId(string? text)
    {
        var value = NvidiaSmiValue.AsText(text);
        if (value is null || !value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || value.Length != 10
            || !uint.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{id & 0xFFFF:x4}:{id >> 16:x4}");
    }
}
