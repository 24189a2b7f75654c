using FaultAgent.Injection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>Replaces the real kernel log with the test-only in-memory one (for failures the real /dev/kmsg cannot be made to show).</summary>
public static class FakeAgentParts
{
    public static void UseInMemoryKernelLog(IServiceCollection services, InMemoryKernelLog kernelLog)
    {
        services.RemoveAll<IKernelLog>();
        services.AddSingleton<IKernelLog>(kernelLog);
    }
}
