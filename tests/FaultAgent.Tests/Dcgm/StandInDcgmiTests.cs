using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FaultAgent.Tests.Dcgm;

/// <summary>
/// The stand-in dcgmi (samples/stand-in-tools/dcgmi) prints what real dcgmi prints: checked byte for byte against the real
/// captures in TestData/dcgm for the same GPUs and values, and it fails the way they show real dcgmi failing.
/// </summary>
public sealed partial class StandInDcgmiTests
{
    /// <summary>A state holding the GPUs a real discovery capture lists.</summary>
    private static JsonObject StateFrom(string capture, string version)
    {
        var gpus = new JsonArray();
        foreach (Match m in DiscoveryRow().Matches(DcgmSamples.Output(capture)))
        {
            gpus.Add(new JsonObject { ["id"] = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), ["name"] = m.Groups[2].Value, ["pci_bus_id"] = m.Groups[3].Value, ["uuid"] = m.Groups[4].Value });
        }

        return new JsonObject { ["dcgm_version"] = version, ["gpus"] = gpus };
    }

    [Theory]
    [InlineData(DcgmSamples.DiscoveryH800Dcgm318, "3.1.8")]
    [InlineData(DcgmSamples.DiscoveryL4Dcgm45, "4.5.2")]
    public void Discovery_SameGpusAsARealCapture_PrintsTheCaptureByteForByte(string capture, string version)
    {
        using var dcgmi = new StandInDcgmiProcess(StateFrom(capture, version));

        var (exitCode, stdout, stderr) = dcgmi.Run("discovery", "-l");

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        Assert.Equal(DcgmSamples.Output(capture), stdout);
    }

    [Fact]
    public void Dmon_Dcgm318ValuesOfTheCapture_PrintsItsRows()
    {
        var state = StateFrom(DcgmSamples.DiscoveryH800Dcgm318, "3.1.8");
        state["values"] = new JsonObject { ["0"] = new JsonObject { ["1011"] = 0, ["1012"] = 0, ["1009"] = 498948, ["1010"] = 1555 } };
        using var dcgmi = new StandInDcgmiProcess(state);

        var (exitCode, stdout, _) = dcgmi.Run("dmon", "-i", "0", "-e", "1011,1012,1009,1010", "-c", "1");

        // The capture's trailing spaces were trimmed unevenly where it was published; compare without them.
        var capture = DcgmSamples.Output(DcgmSamples.DmonH800Dcgm318).Split('\n').Select(l => l.TrimEnd()).ToArray();
        var printed = stdout.Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Equal(0, exitCode);
        Assert.Equal(capture[..2], printed[..2]); // "#Entity" header of short names, "ID" line of units
        Assert.Equal(capture[4], printed[2]); // GPU 0 with the values of the capture's third sample
    }

    [Fact]
    public void TestInject_KnownGpuAndField_PrintsTheCapturesSuccessLineAndDmonReadsIt()
    {
        using var dcgmi = new StandInDcgmiProcess(StateFrom(DcgmSamples.DiscoveryL4Dcgm45, "4.5.2"));

        var inject = dcgmi.Run("test", "--inject", "--gpuid", "0", "-f", "230", "-v", "63");
        var read = dcgmi.Run("dmon", "-e", "230", "-i", "0", "-c", "1");

        Assert.Equal(0, inject.ExitCode);
        Assert.Equal(DcgmSamples.Output(DcgmSamples.InjectXid63Success), inject.Stdout);
        Assert.Equal("#Entity         XIDER        \nID                           \nGPU 0           63           \n", read.Stdout);
    }

    [Fact]
    public void TestInject_UnknownGpu_PrintsTheCapturesErrorAndExits255()
    {
        using var dcgmi = new StandInDcgmiProcess(StateFrom(DcgmSamples.DiscoveryL4Dcgm45, "4.5.2"));

        var (exitCode, stdout, _) = dcgmi.Run("test", "--inject", "--gpuid", "1", "-f", "230", "-v", "65");

        Assert.Equal(255, exitCode); // DCGM_ST_BADPARAM (-1) as a byte
        Assert.Equal(DcgmSamples.Output(DcgmSamples.InjectUnknownGpu), stdout);
    }

    [Fact]
    public void TestInject_UnknownField_SameErrorAsAnUnknownGpu()
    {
        using var dcgmi = new StandInDcgmiProcess(StateFrom(DcgmSamples.DiscoveryL4Dcgm45, "4.5.2"));

        var (exitCode, stdout, _) = dcgmi.Run("test", "--inject", "--gpuid", "0", "-f", "10000000", "-v", "45");

        Assert.Equal(255, exitCode);
        Assert.Equal(DcgmSamples.Output(DcgmSamples.InjectUnknownGpu), stdout);
    }

    [Fact]
    public void Discovery_NoHostEngine_PrintsTheCapturesTwoErrorLinesAndExits235()
    {
        var state = StateFrom(DcgmSamples.DiscoveryL4Dcgm45, "4.5.2");
        state["hostengine"] = new JsonObject { ["running"] = false };
        using var dcgmi = new StandInDcgmiProcess(state);

        var (exitCode, stdout, _) = dcgmi.Run("discovery", "-l");

        Assert.Equal(235, exitCode); // DCGM_ST_CONNECTION_NOT_VALID (-21) as a byte
        Assert.Equal(DcgmSamples.Output(DcgmSamples.NoHostEngine), stdout);
    }

    [Fact]
    public void Dmon_HostThatIsNotListening_ConnectionErrorNamesTheHostAsGiven()
    {
        using var dcgmi = new StandInDcgmiProcess(StateFrom(DcgmSamples.DiscoveryL4Dcgm45, "4.5.2"));

        var (exitCode, stdout, _) = dcgmi.Run("dmon", "-e", "230", "-i", "0", "-c", "1", "--host", "10.0.0.9:5555");

        Assert.Equal(235, exitCode);
        Assert.StartsWith("Error: unable to establish a connection to the specified host: 10.0.0.9:5555\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TestInject_DashIWhichTestDoesNotHave_ParseErrorExit1()
    {
        using var dcgmi = new StandInDcgmiProcess(StateFrom(DcgmSamples.DiscoveryL4Dcgm45, "4.5.2"));

        var (exitCode, _, stderr) = dcgmi.Run("test", "--inject", "-i", "0", "-f", "230", "-v", "79");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("PARSE ERROR: Argument: -i\n", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gpu-node-001")]
    [InlineData("gpu-node-002")]
    public async Task Discovery_NoGpusInTheStateButASimulatedNodesProc_TheDriversGpusInPciOrder(string node)
    {
        using var dcgmi = new StandInDcgmiProcess(new JsonObject(), procRoot: Path.Combine(AppContext.BaseDirectory, "SimulatedNodes", node, "proc"));
        var driver = await new FaultAgent.Gpus.ProcGpuDiscovery(
            Microsoft.Extensions.Options.Options.Create(new FaultAgent.Hosting.AgentOptions { NodeName = node, ProcRoot = Path.Combine(AppContext.BaseDirectory, "SimulatedNodes", node, "proc") }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<FaultAgent.Gpus.ProcGpuDiscovery>.Instance).DiscoverAsync(CancellationToken.None);

        var (exitCode, stdout, _) = dcgmi.Run("discovery", "-l");
        var gpus = FaultAgent.Dcgm.DcgmDiscoveryParser.Parse(stdout)!;

        Assert.Equal(0, exitCode);
        Assert.Equal(8, gpus.Count);
        Assert.Equal(Enumerable.Range(0, 8), gpus.Select(g => g.DcgmGpuId));
        Assert.Equal(driver.Gpus.Select(g => g.PciBusId).Order(StringComparer.Ordinal), gpus.Select(g => g.ProcfsPciBusId));
        Assert.All(gpus, g => Assert.Equal(driver.Gpus.Single(d => d.PciBusId == g.ProcfsPciBusId).Uuid, g.Uuid));
        Assert.False(dcgmi.State.ContainsKey("gpus")); // read from the driver each time, never written into the state
    }

    [GeneratedRegex(@"\| (\d+)\s+\| Name: (.*?)\s+\|\n\|\s+\| PCI Bus ID: (\S+)\s+\|\n\|\s+\| Device UUID: (\S+)\s+\|")]
    private static partial Regex DiscoveryRow();
}
