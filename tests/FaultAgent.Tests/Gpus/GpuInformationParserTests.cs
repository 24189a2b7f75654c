using FaultAgent.Gpus;

namespace FaultAgent.Tests.Gpus;

public sealed class GpuInformationParserTests
{
    // The real A10G file (tabs as the driver prints them), from DataDog/datadog-agent's safenvml test.
    private const string A10G = "Model: \t\t NVIDIA A10G\nIRQ:   \t\t 42\nGPU UUID: \t GPU-82523fd8-3897-f599-d088-ccd04ae45ec1\nVideo BIOS: \t 94.04.42.00.01\nBus Type: \t PCIe\nDMA Size: \t 47 bits\nDMA Mask: \t 0x7fffffffffff\nBus Location: \t 0000:00:1e.0\nDevice Minor: \t 3\nGPU Excluded: \t No\n";

    [Fact]
    public void Parse_RealA10GFile_ReadsEveryFieldInOrder()
    {
        var gpu = GpuInformationParser.Parse(A10G, "/p/information");

        Assert.Equal(3, gpu.GpuId);
        Assert.Equal("0000:00:1e.0", gpu.PciBusId);
        Assert.Equal("0000:00:1e", gpu.XidPci);
        Assert.Equal("GPU-82523fd8-3897-f599-d088-ccd04ae45ec1", gpu.Uuid);
        Assert.Equal("NVIDIA A10G", gpu.Model);
        Assert.Equal(
            ["Model", "IRQ", "GPU UUID", "Video BIOS", "Bus Type", "DMA Size", "DMA Mask", "Bus Location", "Device Minor", "GPU Excluded"],
            gpu.Fields.Select(f => f.Key));
        Assert.Equal("42", gpu.Field("IRQ"));
        Assert.Equal("47 bits", gpu.Field("DMA Size"));
        Assert.Equal("0x7fffffffffff", gpu.Field("DMA Mask"));
        Assert.Equal("No", gpu.Field("GPU Excluded"));
        Assert.Equal("/p/information", gpu.SourcePath);
    }

    [Fact]
    public void Parse_CrlfSpacesAndUnknownField_Tolerated()
    {
        var text = "Model:           NVIDIA H100 80GB HBM3\r\nBus Location:    0000:62:00.0\r\nDevice Minor:    5\r\nGPU Firmware:    535.129.03\r\nFuture Field:    some value\r\n\r\n";

        var gpu = GpuInformationParser.Parse(text, "x");

        Assert.Equal(5, gpu.GpuId);
        Assert.Equal("535.129.03", gpu.Field("GPU Firmware"));
        Assert.Equal("some value", gpu.Field("Future Field"));
        Assert.Equal("Future Field", gpu.Fields[^1].Key);
        Assert.Null(gpu.Uuid);
    }

    [Fact]
    public void Parse_EightDigitDomain_NormalisedToFour()
    {
        var gpu = GpuInformationParser.Parse("Bus Location: \t 00000001:00:00.0\nDevice Minor: \t 0\n", "x");

        Assert.Equal("0001:00:00.0", gpu.PciBusId);
        Assert.Equal("0001:00:00", gpu.XidPci);
    }

    [Fact]
    public void Parse_NoBusLocation_UsesDirectoryName()
    {
        var gpu = GpuInformationParser.Parse("Model: \t\t X\nDevice Minor: \t 2\n", "x", "0000:AB:00.0");

        Assert.Equal("0000:ab:00.0", gpu.PciBusId);
    }

    [Fact]
    public void Parse_OldDriverWithoutDeviceMinor_ThrowsNamingTheField()
    {
        var text = "Model:           GeForce GTX 650\nBus Location:    0000:04:00.0\n";

        var error = Assert.Throws<GpuInformationFormatException>(() => GpuInformationParser.Parse(text, "x"));
        Assert.Contains("Device Minor", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage without colon\n")]
    [InlineData("")]
    [InlineData("Bus Location: \t nonsense\nDevice Minor: \t 0\n")]
    [InlineData("Bus Location: \t 0000:01:00.0\nDevice Minor: \t -1\n")]
    public void Parse_MalformedText_Throws(string text)
    {
        Assert.Throws<GpuInformationFormatException>(() => GpuInformationParser.Parse(text, "x"));
    }
}
