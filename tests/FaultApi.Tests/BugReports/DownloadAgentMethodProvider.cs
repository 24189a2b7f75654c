using FaultInjection.Agent.V1;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace FaultApi.Tests.BugReports;

/// <summary>Binds a <see cref="IDownloadAgentService"/> to the contract's DownloadBugReport server stream (the API compiles only the client side of the contract).</summary>
public sealed class DownloadAgentMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class, IDownloadAgentService
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
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
