using FaultAgent.Dcgm;

namespace FaultAgent.Tests.Dcgm;

/// <summary><see cref="DcgmDiscoveryParser"/> on real <c>dcgmi discovery -l</c> captures (TestData/dcgm, sources in each file).</summary>
public sealed class DcgmDiscoveryParserTests
{
    [Fact]
    public void Parse_Dcgm318EightH800_EveryGpuWithItsBusIdAndUuid()
    {
        var gpus = DcgmDiscoveryParser.Parse(DcgmSamples.Output(DcgmSamples.DiscoveryH800Dcgm318));

        Assert.NotNull(gpus);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], gpus.Select(g => g.DcgmGpuId));
        Assert.All(gpus, g => Assert.Equal("NVIDIA H800", g.Name));
        Assert.Equal("00000000:18:00.0", gpus[0].PciBusId);
        Assert.Equal("0000:18:00.0", gpus[0].ProcfsPciBusId);
        Assert.Equal("0000:bd:00.0", gpus[5].ProcfsPciBusId); // printed upper case: 00000000:BD:00.0
        Assert.Equal("GPU-474d838c-171f-d249-4f45-bbc01a8eb74a", gpus[7].Uuid);
    }

    [Fact]
    public void Parse_Dcgm45WithConnectXAndCpuSections_OnlyTheGpu()
    {
        var gpus = DcgmDiscoveryParser.Parse(DcgmSamples.Output(DcgmSamples.DiscoveryL4Dcgm45));

        var gpu = Assert.Single(gpus!);
        Assert.Equal(new DcgmGpu(0, "NVIDIA L4", "00000000:00:03.0", "GPU-0b5f4a6b-7a7a-6c41-0875-b8c8d963b0af"), gpu);
    }

    [Fact]
    public void Parse_TruncatedCaptureWithNullNames_CompleteGpusOnly()
    {
        var gpus = DcgmDiscoveryParser.Parse(DcgmSamples.Output(DcgmSamples.DiscoveryUnixSocketTruncated));

        // GPU 2's rows were cut off after its name: without a bus id it cannot be matched, so it is not listed.
        Assert.Equal([0, 1], gpus!.Select(g => g.DcgmGpuId));
        Assert.Equal("<<<NULL>>>", gpus![0].Name);
        Assert.Equal("0000:5d:00.0", gpus[1].ProcfsPciBusId);
    }

    [Fact]
    public void Parse_IndentedPasteWithElidedRows_ReadsTheRowsThatAreThere()
    {
        var gpus = DcgmDiscoveryParser.Parse(DcgmSamples.Output(DcgmSamples.DiscoveryH100ElidedExit223));

        var gpu = Assert.Single(gpus!);
        Assert.Equal(0, gpu.DcgmGpuId);
        Assert.Equal("0000:19:00.0", gpu.ProcfsPciBusId);
        Assert.Equal("NVIDIA H100 80GB HBM3", gpu.Name);
    }

    [Fact]
    public void Parse_NoHostEngineErrorLines_Null()
    {
        Assert.Null(DcgmDiscoveryParser.Parse(DcgmSamples.Output(DcgmSamples.NoHostEngine)));
    }

    [Fact]
    public void Parse_LastKnownSuffixOfAGpuThatIsNotOk_Dropped()
    {
        // 4.5+ with -a appends " (last known)" to the name and bus id of a GPU that is not OK (dcgmi/Query.cpp); the
        // rows are built from the real L4 capture, as no capture of it is public.
        var output = DcgmSamples.Output(DcgmSamples.DiscoveryL4Dcgm45)
            .Replace("Name: NVIDIA L4           ", "Name: NVIDIA L4 (last known)", StringComparison.Ordinal)
            .Replace("PCI Bus ID: 00000000:00:03.0              ", "PCI Bus ID: 00000000:00:03.0 (last known)", StringComparison.Ordinal);
        Assert.Contains("(last known)", output, StringComparison.Ordinal);

        var gpu = Assert.Single(DcgmDiscoveryParser.Parse(output)!);

        Assert.Equal("NVIDIA L4", gpu.Name);
        Assert.Equal("0000:00:03.0", gpu.ProcfsPciBusId);
    }
}
