using FaultAgent.Telemetry;

namespace FaultAgent.Tests.Telemetry;

/// <summary>The agent's query fields for the samples (<see cref="NvidiaSmiSamples"/> is shared with the API tests, without the agent's types).</summary>
internal static class NvidiaSmiQueryFields
{
    /// <summary>The catalogue's fields with these names, in this order.</summary>
    public static List<GpuQueryField> Fields(params string[] names) => [.. names.Select(GpuQueryFields.Get)];
}
