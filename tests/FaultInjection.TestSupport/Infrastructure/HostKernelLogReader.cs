using System.Diagnostics;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>The machine's kernel log as <c>dmesg --raw</c> prints it: an oracle independent of the agent's own reader.</summary>
public static class HostKernelLogReader
{
    /// <summary>The text of every record (without the <c>&lt;N&gt;[time] </c> prefix) that contains <paramref name="marker"/>.</summary>
    public static async Task<IReadOnlyList<string>> ReadContainingAsync(string marker)
    {
        var start = new ProcessStartInfo("dmesg") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("--raw");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dmesg did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return [.. output.Split('\n')
            .Where(line => line.Contains(marker, StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf("] ", StringComparison.Ordinal) + 2)..])];
    }
}
