using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace FaultApi.Tests.Drills;

/// <summary>
/// A DCGM-side health monitor standing in for NVSentinel's GPU health monitor in the drill tests: it reads DCGM field 230
/// (DCGM_FI_DEV_XID_ERRORS) of one DCGM GPU through the node's dcgmi (<c>dcgmi dmon -e 230 -i &lt;gpu&gt; -c 1</c>, read as
/// NVIDIA's own dcgmi tests read it: the third line's last token) until it holds the Xid it waits for, then sets the node condition NVSentinel's
/// platform connector sets for that check, <c>GpuXidError</c> True. (NVSentinel receives the Xid as a DCGM XID policy
/// callback; the stand-in dcgmi has no callbacks, so this monitor reads the field instead.)
/// </summary>
public sealed class StandInDcgmHealthMonitor : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly string _node;
    private readonly string _dcgmiPath;
    private readonly int _dcgmGpuId;
    private readonly int _xid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private StandInDcgmHealthMonitor(IKubernetes client, string node, string dcgmiPath, int dcgmGpuId, int xid)
    {
        _client = client;
        _node = node;
        _dcgmiPath = dcgmiPath;
        _dcgmGpuId = dcgmGpuId;
        _xid = xid;
        _run = Task.Run(RunAsync);
    }

    /// <summary>Completes when the monitor saw the Xid in DCGM and set the condition.</summary>
    public Task Completion => _run;

    public static StandInDcgmHealthMonitor Start(IKubernetes client, string node, string dcgmiPath, int dcgmGpuId, int xid) =>
        new(client, node, dcgmiPath, dcgmGpuId, xid);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (await ReadXidAsync() != _xid)
        {
            await Task.Delay(100, _stop.Token);
        }

        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var patch = new
        {
            status = new
            {
                conditions = new[]
                {
                    new { type = "GpuXidError", status = "True", reason = "GpuXidErrorIsNotHealthy", message = $"ErrorCode:{_xid} GPU:{_dcgmGpuId} XID error occured", lastHeartbeatTime = now, lastTransitionTime = now },
                },
            },
        };
        await _client.CoreV1.PatchNodeStatusAsync(new V1Patch(JsonSerializer.Serialize(patch), V1Patch.PatchType.StrategicMergePatch), _node, cancellationToken: _stop.Token);
    }

    private async Task<long?> ReadXidAsync()
    {
        var start = new ProcessStartInfo(_dcgmiPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "dmon", "-e", "230", "-i", _dcgmGpuId.ToString(CultureInfo.InvariantCulture), "-c", "1" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(_stop.Token);
        await process.WaitForExitAsync(_stop.Token);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length >= 3 && long.TryParse(lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
