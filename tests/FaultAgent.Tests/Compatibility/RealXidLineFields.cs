using System.Globalization;
using System.Text.RegularExpressions;
using FaultAgent.Xids;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// The fields of a real r5xx driver Xid line (<c>NVRM: Xid (PCI:dddd:bb:dd): N, [pid=P, name=X, | pid='&lt;unknown&gt;', name=&lt;unknown&gt;, ]body[ caused by previous Xid M]</c>)
/// as a request to write it again: the body as the message, or — when the catalog's body for that Xid is a channel
/// (<c>Ch %08x</c>) and the real one is too — the channel.
/// </summary>
internal sealed partial record RealXidLineFields(string Pci, int Xid, long Pid, string? ProcessName, string? Message, uint? Channel, int PreviousXid)
{
    public static RealXidLineFields Parse(string real)
    {
        var fields = Fields().Match(real);
        Assert.True(fields.Success, real);
        var xid = int.Parse(fields.Groups[2].Value, CultureInfo.InvariantCulture);
        var body = fields.Groups[5].Value;
        var catalogBody = XidCatalog.Default.FindXid(xid)?.DefaultMessage;
        var channel = body.StartsWith("Ch ", StringComparison.Ordinal) && catalogBody?.StartsWith("Ch ", StringComparison.Ordinal) == true && body.Length == 11
            ? Convert.ToUInt32(body[3..], 16)
            : (uint?)null;
        return new RealXidLineFields(
            fields.Groups[1].Value,
            xid,
            fields.Groups[3].Success ? long.Parse(fields.Groups[3].Value, CultureInfo.InvariantCulture) : 0,
            fields.Groups[4].Success ? fields.Groups[4].Value : null,
            channel is null ? body : null,
            channel,
            fields.Groups[6].Success ? int.Parse(fields.Groups[6].Value, CultureInfo.InvariantCulture) : 0);
    }

    [GeneratedRegex(@"^NVRM: Xid \(PCI:([0-9a-f:]+)\): (\d+), (?:pid=(\d+), name=([^,]+), |pid='<unknown>', name=<unknown>, )?(.*?)(?: caused by previous Xid (\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Fields();
}
