using System.Runtime.CompilerServices;
using FaultAgent.BugReports;
using FaultInjection.Agent.V1;
using Google.Protobuf;
using Grpc.Core;

namespace FaultAgent.Grpc;

/// <summary>
/// Turns an open archive into <see cref="BugReportChunk"/>s of at most <see cref="DefaultChunkSize"/> bytes, reading the file
/// as it goes (one buffer in memory). The first chunk carries total size, file name and SHA-256; an empty file yields
/// one chunk with no data.
/// </summary>
public static class BugReportChunks
{
    public const int DefaultChunkSize = 64 * 1024;

    public static async IAsyncEnumerable<BugReportChunk> ReadAsync(
        BugReportDownload download,
        int chunkSize = DefaultChunkSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(download);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var buffer = new byte[chunkSize];
        long offset = 0;
        var first = true;
        while (true)
        {
            var read = await ReadFullAsync(download.Content, buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0 && !first)
            {
                yield break;
            }

            var chunk = new BugReportChunk { Data = ByteString.CopyFrom(buffer, 0, read), Offset = offset };
            if (first)
            {
                chunk.TotalSize = download.TotalSize;
                chunk.FileName = download.FileName;
                chunk.Sha256 = download.Sha256;
                first = false;
            }

            offset += read;
            yield return chunk;
            if (read < chunkSize)
            {
                yield break;
            }
        }
    }

    /// <summary>Writes every chunk to a gRPC response stream (the DownloadBugReport handler's whole body).</summary>
    public static async Task WriteAsync(
        BugReportDownload download,
        IAsyncStreamWriter<BugReportChunk> writer,
        CancellationToken cancellationToken,
        int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await foreach (var chunk in ReadAsync(download, chunkSize, cancellationToken).ConfigureAwait(false))
        {
            await writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> ReadFullAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
