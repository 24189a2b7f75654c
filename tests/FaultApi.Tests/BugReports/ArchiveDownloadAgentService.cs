using System.Security.Cryptography;
using FaultInjection.Agent.V1;
using Google.Protobuf;
using Grpc.Core;

namespace FaultApi.Tests.BugReports;

/// <summary>
/// An agent that serves a whole archive on DownloadBugReport, as a real agent does: <see cref="Archive"/>
/// (<see cref="ArchiveDownloadAgentService.TotalSize"/> bytes of a fixed pseudo-random sequence) in
/// <see cref="ChunkSize"/> chunks, the first announcing the size, the file name and the SHA-256. Counts the streams it
/// served (<see cref="Downloads"/>). With <c>holdAfterFirstChunk</c> it sends the first chunk and then waits until the
/// call ends (cancelled, its connection gone), as an agent behind a network that stopped moving; with
/// <c>resumeAfterFirstChunk</c> it sends the first chunk, waits for that task and then sends the rest (a download the
/// test holds in flight). Hosted by <see cref="DownloadAgent"/>.
/// </summary>
public sealed class ArchiveDownloadAgentService(bool holdAfterFirstChunk = false, Task? resumeAfterFirstChunk = null) : IDownloadAgentService
{
    public const int TotalSize = 1024 * 1024;
    public const int ChunkSize = 64 * 1024;
    private int _downloads;

    /// <summary>The archive's bytes (a fixed pseudo-random sequence).</summary>
    public static byte[] Archive { get; } = CreateArchive();

    public static string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Archive));

    /// <summary>How many DownloadBugReport streams the agent started serving.</summary>
    public int Downloads => Volatile.Read(ref _downloads);

    public async Task DownloadBugReport(DownloadBugReportRequest request, IServerStreamWriter<BugReportChunk> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        Interlocked.Increment(ref _downloads);
        for (var offset = 0; offset < TotalSize; offset += ChunkSize)
        {
            var chunk = new BugReportChunk { Data = ByteString.CopyFrom(Archive, offset, ChunkSize), Offset = offset };
            if (offset == 0)
            {
                chunk.TotalSize = TotalSize;
                chunk.FileName = "nvidia-bug-report.log.gz";
                chunk.Sha256 = Sha256;
            }

            await responseStream.WriteAsync(chunk, context.CancellationToken);
            if (holdAfterFirstChunk)
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }

            if (offset == 0 && resumeAfterFirstChunk is not null)
            {
                await resumeAfterFirstChunk.WaitAsync(context.CancellationToken);
            }
        }
    }

    private static byte[] CreateArchive()
    {
        var archive = new byte[TotalSize];
        new Random(20261205).NextBytes(archive);
        return archive;
    }
}
