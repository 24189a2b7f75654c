using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace FaultApi.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The audit trail (<see cref="IAuditLog"/>): one log event per state-changing call, logger category
    /// <c>FaultApi.Audit</c>, kept at Information whatever the default level (with
    /// <c>AddJsonLineConsole</c> each is one JSON line with its properties).
    /// </summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.TryAddSingleton<IAuditLog, LoggerAuditLog>();
        services.AddLogging(logging => logging.AddFilter(LoggerAuditLog.Category, LogLevel.Information));
        return services;
    }
}
