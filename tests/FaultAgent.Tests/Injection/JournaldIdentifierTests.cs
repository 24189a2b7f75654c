using FaultAgent.Injection;

namespace FaultAgent.Tests.Injection;

public sealed class JournaldIdentifierTests
{
    [Theory]
    [InlineData("NVRM: Xid (PCI:0000:3b:00): 79, x", "NVRM", "Xid (PCI:0000:3b:00): 79, x")]
    [InlineData("NVRM: NVRM: Xid (PCI:0000:3b:00): 79, x", "NVRM", "NVRM: Xid (PCI:0000:3b:00): 79, x")]
    [InlineData("nvidia-nvswitch3: SXid (PCI:0000:4e:00.0): 12028, x", "nvidia-nvswitch3", "SXid (PCI:0000:4e:00.0): 12028, x")]
    [InlineData("sshd[123]: Accepted", "sshd", "Accepted")]
    [InlineData("no identifier here", null, "no identifier here")]
    public void Parse_RecordText_SplitsLikeJournald(string text, string? identifier, string message)
    {
        Assert.Equal((identifier, message), JournaldIdentifier.Parse(text));
    }

    [Fact]
    public void ToRecordText_DriverLine_JournaldMessageIsTheDriverLine()
    {
        const string line = "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.";

        var record = JournaldIdentifier.ToRecordText(line);

        Assert.Equal("NVRM: " + line, record);
        Assert.Equal(line, JournaldIdentifier.Parse(record).Message);
        Assert.StartsWith("NVRM: Xid", JournaldIdentifier.Parse(record).Message, StringComparison.Ordinal);
    }
}
