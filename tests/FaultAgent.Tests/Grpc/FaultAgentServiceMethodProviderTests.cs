using FaultAgent.Grpc;
using FaultAgent.Tests.Infrastructure;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Proto = FaultInjection.Agent.V1;

namespace FaultAgent.Tests.Grpc;

/// <summary>
/// The agent's own binding of the FaultAgent service (<see cref="FaultAgentServiceMethodProvider"/>, instead of the
/// generated BindService): every RPC of the proto bound exactly once, with its type and the service's authorization.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultAgentServiceMethodProviderTests
{
    [RootFact]
    public async Task MapAgentGrpc_FaultAgentService_BindsEveryProtoRpcOnceWithItsTypeAndAuthorization()
    {
        using var target = new TargetNamespaceProcess();
        await using var factory = new AgentApplicationFactory(target.Pid);
        factory.CreateGrpcClient();

        var bound = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(endpoint => (Endpoint: endpoint, Grpc: endpoint.Metadata.GetMetadata<GrpcMethodMetadata>()))
            .Where(e => e.Grpc?.ServiceType == typeof(FaultAgentService))
            .ToList();

        var expected = Proto.FaultAgent.Descriptor.Methods
            .Select(m => $"/{Proto.FaultAgent.Descriptor.FullName}/{m.Name} {(m.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary)}")
            .Order(StringComparer.Ordinal);
        var actual = bound
            .Select(e => $"{e.Grpc!.Method.FullName} {e.Grpc.Method.Type}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
        Assert.All(bound, e =>
        {
            Assert.NotNull(e.Endpoint.Metadata.GetMetadata<IAuthorizeData>());
            Assert.Null(e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>());
            Assert.Equal(["POST"], e.Endpoint.Metadata.GetOrderedMetadata<HttpMethodMetadata>()[^1].HttpMethods);
        });
    }
}
