using FaultAgent.Dcgm;

namespace FaultAgent.Tests.Dcgm;

/// <summary><see cref="DcgmDmonParser"/> on the real <c>dcgmi dmon</c> capture and on the 4.5 layout.</summary>
public sealed class DcgmDmonParserTests
{
    [Fact]
    public void ReadValue_Dcgm318CaptureFirstSample_NotAvailable()
    {
        // The first samples after dmon set its watches are N/A; the row's last token is the (last) field's value.
        Assert.Equal("N/A", DcgmDmonParser.ReadValue(DcgmSamples.Output(DcgmSamples.DmonH800Dcgm318), 0));
    }

    [Fact]
    public void ReadValue_Dcgm318CaptureFromTheThirdSample_LastFieldsValue()
    {
        var lines = DcgmSamples.Output(DcgmSamples.DmonH800Dcgm318).Split('\n');
        var fromThird = string.Join('\n', lines.Take(2).Concat(lines.Skip(4)));

        Assert.Equal("1555", DcgmDmonParser.ReadValue(fromThird, 0));
    }

    [Fact]
    public void ReadValue_OtherGpusRow_Null()
    {
        Assert.Null(DcgmDmonParser.ReadValue(DcgmSamples.Output(DcgmSamples.DmonH800Dcgm318), 1));
    }

    [Fact]
    public void ReadValue_Dcgm45Layout_ValueOfTheGpusRow()
    {
        // DCGM 4.5+: "#Entity" and the entity label padded to 14 + 2 (dcgmi/DeviceMonitor.cpp); field 230 is 5 + 6 wide.
        const string output = "#Entity         XIDER        \nID                           \nGPU 3           79           \n";

        Assert.Equal("79", DcgmDmonParser.ReadValue(output, 3));
    }

    [Fact]
    public void ReadValue_NotDmonOutput_Null()
    {
        Assert.Null(DcgmDmonParser.ReadValue(DcgmSamples.Output(DcgmSamples.NoHostEngine), 0));
        Assert.Null(DcgmDmonParser.ReadValue("", 0));
    }
}
