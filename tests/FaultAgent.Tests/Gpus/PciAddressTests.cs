using FaultAgent.Gpus;

namespace FaultAgent.Tests.Gpus;

public sealed class PciAddressTests
{
    [Theory]
    [InlineData("0000:3b:00.0", "0000:3b:00.0", "0000:3b:00")]
    [InlineData("0000:3B:00.0", "0000:3b:00.0", "0000:3b:00")]
    [InlineData("0001:00:00.0", "0001:00:00.0", "0001:00:00")]
    [InlineData("00000001:00:00.0", "0001:00:00.0", "0001:00:00")]
    [InlineData("00000008:01:00.0", "0008:01:00.0", "0008:01:00")]
    [InlineData("0000:00:1e.0", "0000:00:1e.0", "0000:00:1e")]
    [InlineData("0000:9b:00", "0000:9b:00.0", "0000:9b:00")]
    public void TryParse_ValidForms_NormalisesToFourDigitDomain(string text, string busId, string xidPci)
    {
        Assert.True(PciAddress.TryParse(text, out var address));
        Assert.Equal(busId, address.BusId);
        Assert.Equal(xidPci, address.XidPci);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3b:00.0")]
    [InlineData("000:3b:00.0")]
    [InlineData("00001:3b:00.0")]
    [InlineData("0000:3b:20.0")]
    [InlineData("0000:3b:00.8")]
    [InlineData("0000:3g:00.0")]
    [InlineData("00010000:00:00.0")]
    [InlineData("0000:3b:00.0x")]
    public void TryParse_InvalidForms_ReturnsFalse(string text)
    {
        Assert.False(PciAddress.TryParse(text, out _));
    }
}
