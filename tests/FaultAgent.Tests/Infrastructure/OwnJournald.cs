using System.Diagnostics;
using System.Text.Json;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// The real <c>/lib/systemd/systemd-journald</c>, started by the test in a private mount namespace whose <c>/run</c> (and
/// <c>/var/log/journal</c>, when the machine has one) is a directory of the test's own, so it never meets the machine's
/// journal. It reads the machine's /dev/kmsg from the start of the ring like a journald at boot; <see cref="KernelEntriesAsync"/>
/// reads its journal with <c>journalctl -k -o json -D</c>. Killed (by its pid) on dispose.
/// </summary>
public sealed class OwnJournald : IDisposable
{
    public const string JournaldPath = "/lib/systemd/systemd-journald";

    private readonly TestDirectory _directory = new();
    private readonly Process _process;

    public OwnJournald()
    {
        var run = _directory.Combine("run");
        var varlog = _directory.Combine("var-log-journal");
        Directory.CreateDirectory(run);
        Directory.CreateDirectory(varlog);
        var script = "set -e; mount --bind \"$1\" /run; mkdir -p /run/systemd/journal /run/log/journal; "
            + "if [ -d /var/log/journal ]; then mount --bind \"$2\" /var/log/journal; fi; exec " + JournaldPath;
        var start = new ProcessStartInfo("unshare") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--mount", "--propagation", "private", "bash", "-c", script, "journald", run, varlog })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("unshare did not start.");
        JournalDirectory = Path.Combine(run, "log", "journal");
    }

    /// <summary>Where this journald keeps its (volatile) journal, as the test sees it.</summary>
    public string JournalDirectory { get; }

    /// <summary>Every kernel-transport entry of this journal (MESSAGE, SYSLOG_IDENTIFIER, PRIORITY, ...), oldest first.</summary>
    public Task<IReadOnlyList<JsonElement>> KernelEntriesAsync(CancellationToken cancellationToken) => EntriesAsync(kernelOnly: true, cancellationToken);

    /// <summary>
    /// journald's own "Missed N kernel messages" notes (it writes one when the sequence numbers it reads from /dev/kmsg
    /// jump: the ring overwrote records before it read them), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<string>> MissedKernelMessagesAsync(CancellationToken cancellationToken) =>
        [.. (await EntriesAsync(kernelOnly: false, cancellationToken))
            .Select(e => e.TryGetProperty("MESSAGE", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "")
            .Where(m => m.StartsWith("Missed ", StringComparison.Ordinal) && m.EndsWith(" kernel messages", StringComparison.Ordinal))];

    private async Task<IReadOnlyList<JsonElement>> EntriesAsync(bool kernelOnly, CancellationToken cancellationToken)
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"systemd-journald exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync(cancellationToken)}");
        }

        var start = new ProcessStartInfo("journalctl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-o", "json", "--no-pager", "-D", JournalDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        if (kernelOnly)
        {
            start.ArgumentList.Add("-k");
        }

        using var journalctl = Process.Start(start) ?? throw new InvalidOperationException("journalctl did not start.");
        var output = await journalctl.StandardOutput.ReadToEndAsync(cancellationToken);
        await journalctl.WaitForExitAsync(cancellationToken);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _directory.Dispose();
    }
}
