using FaultInjection.Agent.V1;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace FaultApi.Tests.BugReports;

/// <summary>Binds <see cref="BrokenDownloadAgentService"/> to the contract's DownloadBugReport server stream.</summary>
public sealed class BrokenDownloadAgentMethodProvider : IServiceMethodProvider<BrokenDownloadAgentService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<BrokenDownloadAgentService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var method = new Method<DownloadBugReportRequest, BugReportChunk>(
            MethodType.ServerStreaming,
            "faultinjection.agent.v1.FaultAgent",
            "DownloadBugReport",
            Marshallers.Create(r => r.ToByteArray(), DownloadBugReportRequest.Parser.ParseFrom),
            Marshallers.Create<BugReportChunk>(r => r.ToByteArray(), _ => throw new NotSupportedException("server side only")));
        context.AddServerStreamingMethod(method, [], (service, request, stream, callContext) => service.DownloadBugReport(request, stream, callContext));
    }
}
