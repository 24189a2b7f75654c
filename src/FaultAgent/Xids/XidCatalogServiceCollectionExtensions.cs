using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaultAgent.Xids;

public static class XidCatalogServiceCollectionExtensions
{
    /// <summary>Adds the Xid and SXid catalog (<see cref="XidCatalog.Default"/>, from the driver documentation's tables).</summary>
    public static IServiceCollection AddXidCatalog(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(XidCatalog.Default);
        return services;
    }
}
