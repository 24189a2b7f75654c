using FaultAgent.Faults;
using FaultAgent.Gpus;
using FaultAgent.Injection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>Registers the test-only kernel log, GPU inventory and line planner in place of the real ones.</summary>
public static class FakeAgentParts
{
    public static void Register(IServiceCollection services, InMemoryKernelLog kernelLog)
    {
        services.RemoveAll<IKernelLog>();
        services.RemoveAll<IGpuDiscovery>();
        services.RemoveAll<IFaultLinePlanner>();
        services.AddSingleton<IKernelLog>(kernelLog);
        services.AddSingleton<IGpuDiscovery>(new StaticGpuDiscovery(StaticGpuDiscovery.TwoGpus));
        services.AddSingleton<IFaultLinePlanner, TestFaultLinePlanner>();
    }
}
