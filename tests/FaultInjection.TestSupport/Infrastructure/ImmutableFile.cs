using System.Diagnostics;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// A real unwritable file: <c>chattr +i</c> (the ext4 immutable attribute) makes every write to it fail with EPERM, even
/// root's and even on a descriptor opened before, as a failing disk would; <see cref="Dispose"/> (or <see cref="Release"/>)
/// runs <c>chattr -i</c>.
/// </summary>
public sealed class ImmutableFile : IDisposable
{
    private bool _released;

    private ImmutableFile(string path) => Path = path;

    public string Path { get; }

    public static ImmutableFile Make(string path)
    {
        Chattr("+i", path);
        return new ImmutableFile(path);
    }

    public void Release()
    {
        if (!_released)
        {
            Chattr("-i", Path);
            _released = true;
        }
    }

    public void Dispose() => Release();

    private static void Chattr(string flag, string path)
    {
        var start = new ProcessStartInfo("chattr") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add(flag);
        start.ArgumentList.Add(path);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("chattr did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"chattr {flag} {path} failed ({process.ExitCode}): {error}");
        }
    }
}
