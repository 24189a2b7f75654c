using FaultAgent.Telemetry;

namespace FaultAgent.Tests.Telemetry;

/// <summary>The agent-side part of the samples helper (the API tests link the rest, without the agent's types).</summary>
internal static partial class NvidiaSmiSamples
{
    /// <summary>The catalogue's fields with these names, in this order.</summary>
    public static List<GpuQueryField> Fields(params string[] names) => [.. names.Select(GpuQueryFields.Get)];
}
