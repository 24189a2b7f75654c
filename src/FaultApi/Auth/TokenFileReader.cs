using Microsoft.Extensions.Logging;

namespace FaultApi.Auth;

/// <summary>
/// Reads a token file again whenever it changed — its resolved path, modification time or size, through symlinks, so a
/// Kubernetes Secret's or projected token's atomic symlink swap is seen even when the new file has the same size and
/// time — and keeps the parsed content until then. A changed file that <c>parse</c> refuses
/// (<see cref="TokenFileFormatException"/>) is logged and the last good content stays in force; only the first read
/// throws it.
/// </summary>
public sealed class TokenFileReader<T>(string path, Func<string, T> parse, ILogger logger)
    where T : class
{
    private readonly Lock _gate = new();
    private (string Target, DateTime Modified, long Length)? _seen;
    private T? _good;

    public string Path { get; } = path;

    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="TokenFileFormatException">The file was never valid since the start.</exception>
    public T Read()
    {
        var info = new FileInfo(Path);
        var target = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        target.Refresh();
        if (!target.Exists)
        {
            throw new FileNotFoundException($"token file '{Path}' does not exist", Path);
        }

        var fingerprint = (target.FullName, target.LastWriteTimeUtc, target.Length);
        lock (_gate)
        {
            if (_seen == fingerprint && _good is not null)
            {
                return _good;
            }
        }

        var text = File.ReadAllText(Path);
        lock (_gate)
        {
            try
            {
                _good = parse(text);
                ApiAuthLog.TokenFileRead(logger, Path);
            }
            catch (TokenFileFormatException ex) when (_good is not null)
            {
                if (_seen != fingerprint)
                {
                    ApiAuthLog.TokenFileRefused(logger, Path, ex.Message);
                }
            }

            _seen = fingerprint;
            return _good;
        }
    }
}
