using FaultInjection.Agent.V1;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace FaultApi.Tests.Infrastructure;

/// <summary>Binds <see cref="TestAgentService"/> to the contract's unary methods (the API compiles only the client side).</summary>
public sealed class TestAgentMethodProvider : IServiceMethodProvider<TestAgentService>
{
    private const string Service = "faultinjection.agent.v1.FaultAgent";

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TestAgentService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(context, "InjectXid", InjectXidRequest.Parser, (s, r, c) => s.InjectXid(r, c));
        Add(context, "InjectSxid", InjectSxidRequest.Parser, (s, r, c) => s.InjectSxid(r, c));
        Add(context, "ListFaults", ListFaultsRequest.Parser, (s, r, c) => s.ListFaults(r, c));
        Add(context, "GetFault", GetFaultRequest.Parser, (s, r, c) => s.GetFault(r, c));
        Add(context, "ClearFault", ClearFaultRequest.Parser, (s, r, c) => s.ClearFault(r, c));
        Add(context, "ListGpus", ListGpusRequest.Parser, (s, r, c) => s.ListGpus(r, c));
        Add(context, "GetCatalog", GetCatalogRequest.Parser, (s, r, c) => s.GetCatalog(r, c));
    }

    private static void Add<TRequest, TResponse>(
        ServiceMethodProviderContext<TestAgentService> context,
        string name,
        MessageParser<TRequest> parser,
        UnaryServerMethod<TestAgentService, TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var method = new Method<TRequest, TResponse>(
            MethodType.Unary,
            Service,
            name,
            Marshallers.Create(r => r.ToByteArray(), parser.ParseFrom),
            Marshallers.Create<TResponse>(r => r.ToByteArray(), _ => throw new NotSupportedException("server side only")));
        context.AddUnaryMethod(method, [], handler);
    }
}
