using FaultAgent.Gpus;
using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Tests.Infrastructure;
using FaultAgent.Xids;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Hosting;

[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class AgentCoreServiceCollectionExtensionsTests
{
    [RootFact]
    public async Task AddAgentCore_WithBoundOptions_ResolvesWorkingSingletons()
    {
        using var target = new TargetNamespaceProcess();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(new AgentOptions { NodeName = "n", ProcRoot = TestData.ProcRoot("h100x8"), TargetPid = target.Pid }));
        services.AddGpuDiscovery().AddXidCatalog().AddKernelLog();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var inventory = await provider.GetRequiredService<IGpuDiscovery>().DiscoverAsync(CancellationToken.None);
        var lines = provider.GetRequiredService<XidLineBuilder>().BuildXid(new XidLineRequest { Xid = 79, Gpu = inventory.FindGpu(0)!, Message = "GPU has fallen off the bus. di " + Guid.NewGuid().ToString("N"), OmitCompanionRecords = true });
        var records = await provider.GetRequiredService<IKernelLog>().WriteVerifiedAsync(lines.Records, CancellationToken.None);

        Assert.Equal(8, inventory.Gpus.Count);
        Assert.Same(XidCatalog.Default, provider.GetRequiredService<XidCatalog>());
        Assert.Same(provider.GetRequiredService<DevKmsgKernelLog>(), provider.GetRequiredService<IKernelLog>());
        Assert.Equal(target.Pid, provider.GetRequiredService<IHostNamespace>().TargetPid);
        Assert.Equal(lines.MainRecord.Text, Assert.Single(records).Text);
        Assert.Contains("PCI:0000:18:00", lines.MonitorLine, StringComparison.Ordinal);
    }
}
