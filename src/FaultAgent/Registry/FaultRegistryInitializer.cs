using Microsoft.Extensions.Hosting;

namespace FaultAgent.Registry;

/// <summary>Loads the registry (and resolves a crash's pending writes) before the agent serves requests.</summary>
public sealed class FaultRegistryInitializer(FaultRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => registry.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
