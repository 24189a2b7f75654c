using FaultInjection.Agent.V1;
using Google.Protobuf;
using Grpc.Core;

namespace FaultApi.Tests.BugReports;

/// <summary>
/// An agent whose DownloadBugReport stream breaks: it announces <see cref="TotalSize"/> bytes, sends the first chunk, then
/// either fails (UNAVAILABLE, as when the agent dies mid-transfer) or skips ahead (a gap). Hosted by
/// <see cref="DownloadAgent"/>.
/// </summary>
public sealed class BrokenDownloadAgentService(bool gap) : IDownloadAgentService
{
    public const int TotalSize = 1024 * 1024;
    public const int ChunkSize = 64 * 1024;

    public async Task DownloadBugReport(DownloadBugReportRequest request, IServerStreamWriter<BugReportChunk> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        var data = ByteString.CopyFrom(new byte[ChunkSize]);
        await responseStream.WriteAsync(new BugReportChunk { Data = data, Offset = 0, TotalSize = TotalSize, FileName = "nvidia-bug-report.log.gz", Sha256 = new string('0', 64) });
        if (gap)
        {
            await responseStream.WriteAsync(new BugReportChunk { Data = data, Offset = 3 * ChunkSize });
            return;
        }

        throw new RpcException(new Status(StatusCode.Unavailable, "agent went away"));
    }
}
