using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultApi.Tests.BugReports;

/// <summary>An agent stand-in that serves only DownloadBugReport (bound by <see cref="DownloadAgentMethodProvider{TService}"/>, hosted by <see cref="DownloadAgent"/>).</summary>
public interface IDownloadAgentService
{
    Task DownloadBugReport(DownloadBugReportRequest request, IServerStreamWriter<BugReportChunk> responseStream, ServerCallContext context);
}
