using FaultAgent.Telemetry;

namespace FaultAgent.Tests.Telemetry;

public sealed class GpuQueryParserTests
{
    private const string H200 = "nvidia-smi_query-gpu_compute-apps_pmon_h200x8_real.txt";
    private const string Tokens = "nvidia-smi_csv_special_tokens_real.txt";

    private static GpuQueryField Ignored(string name) => new(name, false, (m, _) => m);

    [Fact]
    public void Parse_RealH200CsvWithHeaderAndUnits_ReadsEveryGpu()
    {
        var fields = NvidiaSmiQueryFields.Fields("index", "uuid", "memory.used", "memory.total", "utilization.gpu");

        var result = GpuQueryParser.Parse(NvidiaSmiSamples.Block(H200, "index, uuid", after: "## After"), fields);

        Assert.Empty(result.SkippedLines);
        Assert.Equal(8, result.Gpus.Count);
        Assert.Equal(Enumerable.Range(0, 8), result.Gpus.Select(g => g.Index));
        var gpu2 = result.Gpus[2];
        Assert.Equal("GPU-4e9e74b7-4977-f04d-3af3-ccfe5f570e90", gpu2.Uuid);
        Assert.Equal(0, gpu2.MemoryUsedMib);
        Assert.Equal(143771, gpu2.MemoryTotalMib);
        Assert.Equal(0, gpu2.UtilizationGpuPercent);
        Assert.NotNull(gpu2.UtilizationGpuPercent); // a real zero stays a zero
        Assert.Equal(100, result.Gpus[0].UtilizationGpuPercent);
        Assert.Null(gpu2.TemperatureC); // not asked: unset, not 0
    }

    [Fact]
    public void Parse_NotApplicableAndNotSupported_BecomeUnsetNotZero()
    {
        var fields = new List<GpuQueryField>
        {
            GpuQueryFields.Get("memory.total"), GpuQueryFields.Get("memory.free"), GpuQueryFields.Get("memory.used"),
            GpuQueryFields.Get("temperature.gpu"), Ignored("fan.speed"), GpuQueryFields.Get("utilization.gpu"),
            GpuQueryFields.Get("utilization.memory"),
        };
        var newDriver = NvidiaSmiSamples.Line(Tokens, "2004, 2004, 0, 44, [N/A]");
        var oldDriver = NvidiaSmiSamples.Line(Tokens, "2004, 2004, 0, 44, [Not Supported]");

        var gpus = GpuQueryParser.Parse(newDriver + "\n" + oldDriver + "\n", fields).Gpus;

        Assert.Equal(2, gpus.Count);
        Assert.All(gpus, g =>
        {
            Assert.Equal(2004, g.MemoryTotalMib);
            Assert.Equal(0, g.MemoryUsedMib);
            Assert.Equal(44, g.TemperatureC);
        });
    }

    [Fact]
    public void Parse_RealP100CsvWithNaFanAndUnits_ReadsValuesSkipsHeader()
    {
        var fields = new List<GpuQueryField>
        {
            GpuQueryFields.Get("name"), GpuQueryFields.Get("uuid"), Ignored("fan.speed"), GpuQueryFields.Get("pstate"),
            Ignored("memory.reserved"), GpuQueryFields.Get("memory.used"), GpuQueryFields.Get("memory.free"),
            GpuQueryFields.Get("utilization.gpu"), GpuQueryFields.Get("utilization.memory"), GpuQueryFields.Get("temperature.gpu"),
            GpuQueryFields.Get("power.draw"), GpuQueryFields.Get("clocks.current.graphics"), GpuQueryFields.Get("clocks.current.sm"),
            GpuQueryFields.Get("clocks.current.memory"), Ignored("clocks.current.video"),
        };

        var result = GpuQueryParser.Parse(NvidiaSmiSamples.Block("nvidia-smi_query-gpu_csv_tesla-p100.txt", "name, uuid"), fields);

        var gpu = Assert.Single(result.Gpus);
        Assert.Equal("Tesla P100-PCIE-16GB", gpu.Name);
        Assert.Equal("GPU-ef1b2c9b-38d8-2090-2bd1-f567a3eb42a6", gpu.Uuid);
        Assert.Equal("P0", gpu.Pstate);
        Assert.Equal(16280, gpu.MemoryFreeMib);
        Assert.Equal(37, gpu.TemperatureC);
        Assert.Equal(28.16, gpu.PowerDrawW);
        Assert.Equal(405, gpu.ClocksSmMhz);
        Assert.Equal(715, gpu.ClocksMemoryMhz);
    }

    [Fact]
    public void Parse_OneBrokenGpuAmongSeveral_SkipsErrorLineAndUnknownRow()
    {
        var fields = NvidiaSmiQueryFields.Fields("index", "name", "temperature.gpu", "clocks.current.graphics", "memory.total", "utilization.gpu",
            "utilization.memory", "pstate", "power.limit");
        var lines = NvidiaSmiSamples.Lines(Tokens);
        var start = Array.FindIndex(lines, l => l.StartsWith("0, NVIDIA GeForce RTX 3090", StringComparison.Ordinal));
        var output = string.Join('\n', lines[start..(start + 4)]);

        var result = GpuQueryParser.Parse(output, fields);

        Assert.Equal([0, 2], result.Gpus.Select(g => g.Index));
        Assert.Equal(2, result.SkippedLines.Count);
        Assert.StartsWith("Unable to determine the device handle for GPU0000:02:00.0", result.SkippedLines[0], StringComparison.Ordinal);
        Assert.StartsWith("[Unknown Error]", result.SkippedLines[1], StringComparison.Ordinal);
        Assert.Equal(350.00, result.Gpus[1].PowerLimitW);
        Assert.Equal("P2", result.Gpus[1].Pstate);
    }

    [Theory]
    [InlineData("[N/A]")]
    [InlineData("[Not Supported]")]
    [InlineData("[Unknown Error]")]
    [InlineData("[GPU is lost]")]
    [InlineData("[Insufficient Permissions]")]
    [InlineData("[GPU requires reset]")]
    [InlineData("N/A")]
    public void Parse_SpecialTokenInEveryOptionalField_LeavesThemUnset(string token)
    {
        var fields = GpuQueryFields.All;
        var values = fields.Select(f => f.Name switch
        {
            "index" => "3",
            "uuid" => "GPU-28780eb0-24d5-1f13-59b8-ae5c23617a72",
            _ => token,
        });

        var gpu = Assert.Single(GpuQueryParser.Parse(string.Join(", ", values), fields).Gpus);

        Assert.Equal(3, gpu.Index);
        Assert.Equal("", gpu.Name);
        Assert.Equal("", gpu.Pstate);
        Assert.Null(gpu.TemperatureC);
        Assert.Null(gpu.PowerDrawW);
        Assert.Null(gpu.PcieLinkGenMax);
        Assert.Null(gpu.EccErrorsUncorrectedAggregate);
        Assert.Null(gpu.RetiredPagesPending);
        Assert.Null(gpu.RemappedRowsFailure);
        Assert.Null(gpu.ClocksSmMhz);
    }

    [Fact]
    public void Fields_EveryNameIsOneNvidiaSmiDocuments_ExceptRowRemapping()
    {
        var help = string.Join('\n', NvidiaSmiSamples.Lines("nvidia-smi_help-query-gpu.txt"));

        // The captured help is from a driver before row remapping: exactly what the unknown-field fallback is for.
        var missing = GpuQueryFields.All.Select(f => f.Name).Where(n => !help.Contains("\"" + n + "\"", StringComparison.Ordinal)).ToList();

        Assert.Equal(["remapped_rows.correctable", "remapped_rows.uncorrectable", "remapped_rows.pending", "remapped_rows.failure"], missing);
        Assert.All(GpuQueryFields.All.Where(f => f.Name.StartsWith("remapped_rows", StringComparison.Ordinal)), f => Assert.False(f.Required));
    }

    [Fact]
    public void InvalidField_NvidiaSmiMessage_NamesTheField()
    {
        Assert.True(NvidiaSmiInvalidField.TryFind("Field \"remapped_rows.pending\" is not a valid field to query.\n\n", out var field));
        Assert.Equal("remapped_rows.pending", field);
        Assert.False(NvidiaSmiInvalidField.TryFind("No devices were found", out _));
    }

    [Theory]
    [InlineData("00000000:18:00.0", "0000:18:00.0")]
    [InlineData("00000001:00:00.0", "0001:00:00.0")]
    [InlineData("00000008:01:00.0", "0008:01:00.0")]
    [InlineData("0000:3B:00.0", "0000:3b:00.0")]
    [InlineData("00010000:02:00.0", "00010000:02:00.0")]
    public void PciBusId_NvidiaSmiForm_ProcfsForm(string printed, string expected)
    {
        Assert.Equal(expected, PciBusIdFormat.ToProcfs(printed));
    }
}
