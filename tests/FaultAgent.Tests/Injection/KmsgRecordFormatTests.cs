using System.Text;
using FaultAgent.Injection;

namespace FaultAgent.Tests.Injection;

public sealed class KmsgRecordFormatTests
{
    [Fact]
    public void Parse_UserRecord_ReadsFacilityLevelSequenceTimestamp()
    {
        var record = KmsgRecordFormat.Parse("11,347,3000438458,-;NVRM: NVRM: Xid (PCI:0000:3b:00): 79, x\n"u8);

        Assert.Equal(new KernelLogRecord(347, 3000438458, 1, 3, "NVRM: NVRM: Xid (PCI:0000:3b:00): 79, x"), record);
    }

    [Fact]
    public void Parse_ContinuationLinesAndExtraHeaderFields_Ignored()
    {
        var record = KmsgRecordFormat.Parse("6,1234,5678,-,caller=T1;usb 1-1: new device\n SUBSYSTEM=usb\n DEVICE=c189:1\n"u8);

        Assert.NotNull(record);
        Assert.Equal("usb 1-1: new device", record.Text);
        Assert.Equal(0, record.Facility);
        Assert.Equal(6, record.Level);
    }

    [Fact]
    public void Parse_EscapedBytes_Unescaped()
    {
        var record = KmsgRecordFormat.Parse("4,1,2,-;tab\\x09here caf\\xc3\\xa9 back\\x5cslash\n"u8);

        Assert.Equal("tab\there caf\u00e9 back\\slash", record!.Text);
    }

    [Theory]
    [InlineData("no header at all")]
    [InlineData("x,1,2,-;text")]
    [InlineData("4,y,2,-;text")]
    [InlineData("4,1;text")]
    public void Parse_Malformed_ReturnsNull(string text)
    {
        Assert.Null(KmsgRecordFormat.Parse(Encoding.ASCII.GetBytes(text)));
    }
}
