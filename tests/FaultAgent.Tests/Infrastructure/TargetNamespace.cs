using System.Diagnostics;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// A process the test owns in its own mount namespace (<c>unshare --mount --propagation private sleep infinity</c>):
/// what the agent enters in place of the host's PID 1. Never pid 1.
/// </summary>
public sealed class TargetNamespace : IAsyncDisposable
{
    private readonly Process _process;

    private TargetNamespace(Process process) => _process = process;

    public int Pid => _process.Id;

    public static async Task<TargetNamespace> StartAsync()
    {
        var start = new ProcessStartInfo("unshare") { UseShellExecute = false };
        foreach (var argument in new[] { "--mount", "--propagation", "private", "sleep", "infinity" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("unshare did not start");
        var self = File.ResolveLinkTarget("/proc/self/ns/mnt", returnFinalTarget: false)?.LinkTarget;
        await Eventually.TrueAsync(
            () => Task.FromResult(process.HasExited
                ? throw new InvalidOperationException($"unshare exited with {process.ExitCode}")
                : File.ResolveLinkTarget($"/proc/{process.Id}/ns/mnt", false)?.LinkTarget is { } ns && ns != self),
            "the target process to enter its own mount namespace");
        return new TargetNamespace(process);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
