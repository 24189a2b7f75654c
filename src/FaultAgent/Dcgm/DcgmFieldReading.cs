using System.Globalization;

namespace FaultAgent.Dcgm;

/// <summary>One value of one field of one GPU as <c>dcgmi dmon</c> printed it.</summary>
/// <param name="Text">The printed value: a decimal integer, or <c>N/A</c> when DCGM holds no value.</param>
public sealed record DcgmFieldReading(string Text)
{
    public const string NotAvailable = "N/A";

    /// <summary>The value as a number; null for <c>N/A</c> (or anything that is not an integer).</summary>
    public long? Value => long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
}
