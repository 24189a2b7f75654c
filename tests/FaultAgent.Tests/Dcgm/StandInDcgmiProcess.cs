using System.Diagnostics;
using System.Text.Json.Nodes;
using FaultAgent.Tests.Infrastructure;

namespace FaultAgent.Tests.Dcgm;

/// <summary>The stand-in dcgmi run directly (no namespaces) in a directory of its own, to check what it prints.</summary>
internal sealed class StandInDcgmiProcess : IDisposable
{
    private readonly TestDirectory _directory = new();

    /// <param name="procRoot">A /proc tree to link beside the script as <c>proc</c> (a simulated node's), or null.</param>
    public StandInDcgmiProcess(JsonObject state, string? procRoot = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ScriptPath = _directory.Combine("dcgmi");
        File.WriteAllText(ScriptPath, DcgmSamples.StandInScript());
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the stand-in dcgmi runs on Linux");
        }

        File.SetUnixFileMode(ScriptPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(_directory.Combine("dcgm-state.json"), state.ToJsonString());
        if (procRoot is not null)
        {
            File.CreateSymbolicLink(_directory.Combine("proc"), procRoot);
        }
    }

    public string ScriptPath { get; }

    public JsonObject State => JsonNode.Parse(File.ReadAllText(_directory.Combine("dcgm-state.json")))!.AsObject();

    public (int ExitCode, string Stdout, string Stderr) Run(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(ScriptPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    public void Dispose() => _directory.Dispose();
}
