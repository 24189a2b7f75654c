using FaultApi.Agents;
using FaultApi.Gpu;

namespace FaultApi.Tests.Gpu;

/// <summary>The fleet totals alone: nulls are left out of averages, maxima and sums, never counted as 0.</summary>
public sealed class GpuSummaryCalculatorTests
{
    private static GpuMetricsResource Gpu(string node, int index, string model, double? temperature, double? utilisation, double? used, double? total, double? power, long? eccUncorrected = null, bool? remapPending = null) =>
        new(node, index, $"GPU-{node}-{index}", model, $"0000:{index:x2}:00.0", "550.127.05", "P0",
            temperature, utilisation, null, total, used, null, power, null, null, null, null, null, null, null, null,
            null, eccUncorrected, null, null, null, null, null, null, null, remapPending, null);

    private static GpuNodeResource Node(string name, params GpuMetricsResource[] gpus) => new(name, null, "550.127.05", false, gpus.Length, gpus);

    [Fact]
    public void Summarize_NullValues_LeftOutOfAveragesMaximaAndSums()
    {
        var nodes = new[]
        {
            Node("a", Gpu("a", 0, "H100", 40, 100, 1000, 80000, 300), Gpu("a", 1, "H100", null, null, null, 80000, null)),
            Node("b", Gpu("b", 0, "A100", 60, 50, 3000, 40000, 200.25)),
        };

        var summary = GpuSummaryCalculator.Summarize(nodes, []);

        Assert.Equal(2, summary.NodeCount);
        Assert.Equal(3, summary.GpuCount);
        Assert.Equal(50, summary.AverageTemperatureCelsius); // (40 + 60) / 2, not / 3
        Assert.Equal(60, summary.MaxTemperatureCelsius);
        Assert.Equal(75, summary.AverageGpuUtilizationPercent);
        Assert.Equal(100, summary.MaxGpuUtilizationPercent);
        Assert.Equal(200000, summary.TotalMemoryMib);
        Assert.Equal(4000, summary.UsedMemoryMib);
        Assert.Equal(Math.Round(4000.0 / 120000 * 100, 2), summary.MemoryUtilizationPercent); // over GPUs reporting both
        Assert.Equal(500.25, summary.TotalPowerDrawWatts);
        Assert.Equal([new GpuModelSummaryResource("H100", 2, 1), new GpuModelSummaryResource("A100", 1, 1)], summary.Models);
    }

    [Fact]
    public void Summarize_NoValueReported_NullNotZero()
    {
        var summary = GpuSummaryCalculator.Summarize([Node("a", Gpu("a", 0, "", null, null, null, null, null))], []);

        Assert.Null(summary.AverageTemperatureCelsius);
        Assert.Null(summary.MaxTemperatureCelsius);
        Assert.Null(summary.AverageGpuUtilizationPercent);
        Assert.Null(summary.TotalMemoryMib);
        Assert.Null(summary.MemoryUtilizationPercent);
        Assert.Null(summary.TotalPowerDrawWatts);
        Assert.Equal("unknown", Assert.Single(summary.Models).Model);
    }

    [Fact]
    public void Summarize_EccAndPendingRemaps_CountedAndNamed_ErrorsKept()
    {
        var errors = new[] { new NodeError("c", 503, "Unavailable", "down") };
        var nodes = new[]
        {
            Node("a", Gpu("a", 0, "H100", 40, 1, 1, 2, 3, eccUncorrected: 2), Gpu("a", 1, "H100", 40, 1, 1, 2, 3, eccUncorrected: 0, remapPending: true)),
            Node("b", Gpu("b", 0, "H100", 40, 1, 1, 2, 3, eccUncorrected: null, remapPending: false)),
        };

        var summary = GpuSummaryCalculator.Summarize(nodes, errors);

        Assert.Equal(1, summary.GpusWithUncorrectedEccErrors);
        Assert.Equal(new GpuReferenceResource("a", 0, "GPU-a-0", "0000:00:00.0"), Assert.Single(summary.UncorrectedEccErrorGpus));
        Assert.Equal(1, summary.GpusWithPendingRemaps);
        Assert.Equal("GPU-a-1", Assert.Single(summary.PendingRemapGpus).Uuid);
        Assert.Equal(errors, summary.Errors);
        Assert.Equal(0, GpuSummaryCalculator.Summarize([], []).GpuCount);
    }
}
