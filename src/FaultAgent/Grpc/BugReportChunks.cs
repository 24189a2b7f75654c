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

    /// <summary>
    /// Writes every chunk to a gRPC response stream (the DownloadBugReport handler's whole body). Each write may wait at most
    /// the download's <see cref="BugReportDownload.IdleTimeout"/> for the caller to take it (HTTP/2 flow control holds a write
    /// while the caller reads nothing); past it <see cref="BugReportDownloadIdleException"/> is thrown with the write still
    /// pending. Each write has its own timer, so a caller that keeps taking chunks, however slowly, is never cut.
    /// </summary>
    public static async Task WriteAsync(
        BugReportDownload download,
        IAsyncStreamWriter<BugReportChunk> writer,
        CancellationToken cancellationToken,
        int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(download);
        ArgumentNullException.ThrowIfNull(writer);
        long taken = 0;
        await foreach (var chunk in ReadAsync(download, chunkSize, cancellationToken).ConfigureAwait(false))
        {
            // Not cancelled through its token: grpc-dotnet resets the stream when a write's token fires, and the caller
            // would never learn why. The write is left pending instead, for the handler to end the call.
            var write = writer.WriteAsync(chunk, cancellationToken);
            try
            {
                await write.WaitAsync(download.IdleTimeout, download.Time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new BugReportDownloadIdleException(download.NodeName, download.ReportId, download.IdleTimeout, taken) { PendingWrite = write };
            }

            taken += chunk.Data.Length;
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
