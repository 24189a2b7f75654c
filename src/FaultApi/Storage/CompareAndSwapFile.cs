using System.Security.Cryptography;

namespace FaultApi.Storage;

/// <summary>
/// A file used as a compare-and-swap document (static mode's counterpart of <see cref="ConfigMapDocument"/>): its revision
/// is the SHA-256 of its bytes; a write takes an exclusive lock on <c>&lt;file&gt;.lock</c> (flock, so it holds between
/// processes sharing the file, e.g. replicas on one volume), checks the revision is still the one read, then writes beside,
/// flushes to disk and renames over.
/// </summary>
public sealed class CompareAndSwapFile(string path, string setting, TimeProvider timeProvider)
{
    /// <summary>How long a write waits for another process's lock before it gives up.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    public string Path => path;

    /// <summary>"the file /x (Setting)", for messages.</summary>
    public string Description => $"the file {path} ({setting})";

    /// <summary>The bytes and their revision; null when the file does not exist.</summary>
    /// <exception cref="StoredDocumentException">The file cannot be read.</exception>
    public async Task<(byte[] Bytes, string Revision)?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return (bytes, Revision(bytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoredDocumentException($"{Description} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> if the file is still at <paramref name="expectedRevision"/> (null: it must not exist
    /// yet); returns the new revision, or null when another writer came first (nothing written).
    /// </summary>
    /// <exception cref="StoredDocumentException">The file cannot be written.</exception>
    public async Task<string?> TryWriteAsync(byte[] bytes, string? expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            using var fileLock = await LockAsync(cancellationToken).ConfigureAwait(false);
            var current = File.Exists(path) ? Revision(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)) : null;
            if (current != expectedRevision)
            {
                return null;
            }

            var temporary = path + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            return Revision(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoredDocumentException($"{Description} cannot be written: {e.Message}", e);
        }
    }

    private static string Revision(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The exclusive lock (FileShare.None is an flock on Linux), retried while another writer holds it (a plain
    /// <see cref="IOException"/>; a missing directory or a permission error is not retried).
    /// </summary>
    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e.GetType() == typeof(IOException) && timeProvider.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
