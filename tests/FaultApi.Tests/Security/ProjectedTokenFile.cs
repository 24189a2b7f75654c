namespace FaultApi.Tests.Security;

/// <summary>
/// A projected ServiceAccount token volume as the kubelet writes it (its atomic writer): the token in a timestamped
/// directory, <c>..data</c> a symlink to that directory, <c>token</c> a symlink to <c>..data/token</c>; a rotation writes
/// a new directory and swaps <c>..data</c> with one rename.
/// </summary>
public sealed class ProjectedTokenFile
{
    private readonly string _volume;
    private int _generation;

    public ProjectedTokenFile(string volume, string token)
    {
        _volume = Directory.CreateDirectory(volume).FullName;
        var first = WriteGeneration(token);
        File.CreateSymbolicLink(System.IO.Path.Combine(_volume, "..data"), first);
        File.CreateSymbolicLink(Path, System.IO.Path.Combine("..data", "token"));
    }

    /// <summary>The path the pod reads: <c>&lt;volume&gt;/token</c>.</summary>
    public string Path => System.IO.Path.Combine(_volume, "token");

    /// <summary>The kubelet's rotation: the new token in a new directory, then <c>..data</c> swapped by a rename.</summary>
    public void Rotate(string token)
    {
        var next = WriteGeneration(token);
        var swap = System.IO.Path.Combine(_volume, "..data_tmp");
        File.CreateSymbolicLink(swap, next);
        if (rename(swap, System.IO.Path.Combine(_volume, "..data")) != 0)
        {
            throw new IOException($"rename {swap} failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
    }

    private string WriteGeneration(string token)
    {
        var directory = Directory.CreateDirectory(System.IO.Path.Combine(_volume, $"..2026_12_01_00_00_00.{++_generation}")).FullName;
        File.WriteAllText(System.IO.Path.Combine(directory, "token"), token);
        return directory;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int rename(string oldPath, string newPath);
}
