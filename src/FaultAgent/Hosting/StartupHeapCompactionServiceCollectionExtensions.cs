namespace FaultAgent.Hosting;

public static class StartupHeapCompactionServiceCollectionExtensions
{
    /// <summary>One compacting full GC once the host has started (<see cref="StartupHeapCompaction"/>).</summary>
    public static IServiceCollection AddStartupHeapCompaction(this IServiceCollection services) =>
        services.AddHostedService(provider => new StartupHeapCompaction(provider.GetRequiredService<IHostApplicationLifetime>()));
}
