using FaultAgent.Grpc;
using FaultAgent.Tests.Infrastructure;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Grpc;

/// <summary>
/// How gRPC gets the FaultAgent service and the error interceptor for a call: from the container, one instance each for
/// the process, not built (and dropped) per call — each request scope's activation must hand back the same instances
/// without creating them.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class AgentGrpcActivationTests
{
    [RootFact]
    public async Task AddAgentGrpc_TwoCalls_GetTheSameServiceAndInterceptorWithoutCreatingThem()
    {
        using var target = new TargetNamespaceProcess();
        await using var factory = new AgentApplicationFactory(target.Pid);
        factory.CreateGrpcClient();
        var services = factory.Services;
        var registration = Assert.Single(
            services.GetRequiredService<IOptions<GrpcServiceOptions>>().Value.Interceptors,
            r => r.Type == typeof(FaultErrorInterceptor));
        var serviceActivator = services.GetRequiredService<IGrpcServiceActivator<FaultAgentService>>();
        var interceptorActivator = services.GetRequiredService<IGrpcInterceptorActivator<FaultErrorInterceptor>>();

        var activated = new List<(object Service, object Interceptor)>();
        for (var call = 0; call < 2; call++)
        {
            await using var scope = services.CreateAsyncScope();
            var service = serviceActivator.Create(scope.ServiceProvider);
            var interceptor = interceptorActivator.Create(scope.ServiceProvider, registration);
            Assert.False(service.Created, "the service was built for the call");
            Assert.False(interceptor.Created, "the interceptor was built for the call");
            activated.Add((service.Instance, interceptor.Instance));
            await serviceActivator.ReleaseAsync(service);
            await interceptorActivator.ReleaseAsync(interceptor);
        }

        Assert.Same(activated[0].Service, activated[1].Service);
        Assert.Same(activated[0].Interceptor, activated[1].Interceptor);
        Assert.IsType<FaultErrorInterceptor>(activated[0].Interceptor);
    }
}
