namespace FaultApi.Tests.Metrics;

/// <summary>
/// OpenTelemetry's MeterProvider listens to meters by NAME across the process, so an API host in another test class
/// running at the same time would add its requests to this host's scrape: metric tests run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsTestGroup
{
    public const string Name = "metrics";
}
