namespace FaultApi.Tests.Metrics;

/// <summary>One sample line of the Prometheus text format.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
