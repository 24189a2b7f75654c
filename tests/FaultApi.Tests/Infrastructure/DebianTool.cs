using System.Diagnostics;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A command-line tool from a Debian package that a test runs against the product (promtool, kubectl): found on the
/// PATH, else installed with apt-get (as root, as CI runs; scripts/test.sh installs them up front), else the test fails
/// saying which package to install.
/// </summary>
public static class DebianTool
{
    private static readonly SemaphoreSlim Installing = new(1, 1);

    public static async Task<string> EnsureAsync(string tool, string package)
    {
        if (Find(tool) is { } found)
        {
            return found;
        }

        await Installing.WaitAsync();
        try
        {
            if (Find(tool) is { } installed)
            {
                return installed;
            }

            var log = await AptGetAsync("-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", "--no-install-recommends", package);
            if (Find(tool) is null)
            {
                log += await AptGetAsync("update", "-qq");
                log += await AptGetAsync("-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", "--no-install-recommends", package);
            }

            return Find(tool) ?? throw new Xunit.Sdk.XunitException($"{tool} is not installed and 'apt-get install {package}' did not install it (scripts/test.sh installs it as root):\n{log}");
        }
        finally
        {
            Installing.Release();
        }
    }

    private static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, tool))
            .FirstOrDefault(File.Exists);

    private static async Task<string> AptGetAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("apt-get") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return await output + await error;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"apt-get could not run: {ex.Message}\n";
        }
    }
}
