using FaultAgent.Registry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaultAgent.Grpc;

/// <summary>Serving once the fault registry is loaded (and a crash's pending writes resolved).</summary>
public sealed class FaultRegistryHealthCheck(FaultRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.IsInitialized
            ? HealthCheckResult.Healthy("fault registry loaded")
            : HealthCheckResult.Unhealthy("fault registry still loading"));
}
