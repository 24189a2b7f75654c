using System.Diagnostics;

namespace FaultApi.Tests.EndToEnd;

/// <summary>Runs a host tool (<c>ip</c>, <c>dmesg</c>) with an argument list (no shell) and returns its standard output.</summary>
public static class HostCommand
{
    public static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var (exitCode, output, error) = await TryRunAsync(program, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({exitCode}): {error}");
        }

        return output;
    }

    public static async Task<(int ExitCode, string Output, string Error)> TryRunAsync(string program, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
