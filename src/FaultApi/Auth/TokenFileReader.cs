namespace FaultApi.Auth;

/// <summary>
/// Reads a token file again whenever it changed (modification time or size, through symlinks, so a Kubernetes
/// Secret's atomic symlink swap is seen) and keeps the parsed content until then.
/// </summary>
public sealed class TokenFileReader<T>(string path, Func<string, T> parse)
    where T : class
{
    private readonly Lock _gate = new();
    private (DateTime Modified, long Length, T Value)? _cached;

    public string Path { get; } = path;

    /// <exception cref="IOException">The file cannot be read.</exception>
    public T Read()
    {
        var info = new FileInfo(Path);
        var target = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        target.Refresh();
        if (!target.Exists)
        {
            throw new FileNotFoundException($"token file '{Path}' does not exist", Path);
        }

        lock (_gate)
        {
            if (_cached is { } cached && cached.Modified == target.LastWriteTimeUtc && cached.Length == target.Length)
            {
                return cached.Value;
            }
        }

        var value = parse(File.ReadAllText(Path));
        lock (_gate)
        {
            _cached = (target.LastWriteTimeUtc, target.Length, value);
        }

        return value;
    }
}
