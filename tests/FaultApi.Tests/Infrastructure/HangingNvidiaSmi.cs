namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A stand-in nvidia-smi in <c>directory</c> that records each run's arguments (<see cref="CallsAsync"/>) and hangs until
/// <see cref="Release"/>, then answers one board. Run by a REAL agent through nsenter, as the host's would be: every
/// injection that needs a board serial waits for it and is refused <c>BOARD_SERIAL_PENDING</c> meanwhile.
/// </summary>
public sealed class HangingNvidiaSmi : IDisposable
{
    private readonly string _directory;

    private HangingNvidiaSmi(string directory)
    {
        _directory = directory;
    }

    /// <summary>The stand-in's path (<c>Agent:Tools:NvidiaSmiPath</c>).</summary>
    public string Path => System.IO.Path.Combine(_directory, "nvidia-smi");

    private string CallsFile => System.IO.Path.Combine(_directory, "smi-calls");

    private string ReleaseFile => System.IO.Path.Combine(_directory, "smi-release");

    public static async Task<HangingNvidiaSmi> CreateAsync(string directory)
    {
        var smi = new HangingNvidiaSmi(directory);
        await File.WriteAllTextAsync(smi.Path,
            "#!/bin/sh\n"
            + $"echo \"$@\" >> '{smi.CallsFile}'\n"
            // Released by the test, or ended when its directory is gone (a release written just before the directory is
            // deleted can be missed between two polls, and the stand-in then outlived the test run, holding what it inherited).
            + $"while [ ! -e '{smi.ReleaseFile}' ] && [ -d '{directory}' ]; do sleep 0.05; done\n"
            + "echo '00000000:18:00.0, 1650124014249, 0x233010DE'\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(smi.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return smi;
    }

    /// <summary>The arguments of each run so far, one line per run.</summary>
    public async Task<string[]> CallsAsync() => File.Exists(CallsFile) ? await File.ReadAllLinesAsync(CallsFile) : [];

    /// <summary>Lets every run (and every later one) answer.</summary>
    public void Release() => File.WriteAllText(ReleaseFile, "");

    /// <summary>Never leaves the stand-in waiting.</summary>
    public void Dispose() => Release();
}
