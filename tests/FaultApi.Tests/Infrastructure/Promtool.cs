using System.Diagnostics;

namespace FaultApi.Tests.Infrastructure;

/// <summary>Runs Prometheus's own checker, <c>promtool</c> (Debian's prometheus package), on what the product ships or serves.</summary>
public static class Promtool
{
    /// <summary>Runs <c>promtool <paramref name="arguments"/></c> with <paramref name="input"/> on its standard input; exit code and output (stdout then stderr).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string? input, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var promtool = await DebianTool.EnsureAsync("promtool", "prometheus");
        var start = new ProcessStartInfo(promtool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
