using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FaultAgent.Gpus;

/// <summary>
/// A PCI address as procfs, nvidia-smi and the driver's log lines spell it. Accepts a domain of 4 hex digits
/// (procfs, <c>0001:00:00.0</c>) or 8 (nvidia-smi, <c>00000001:00:00.0</c>), any case, with or without the function.
/// </summary>
public readonly record struct PciAddress(int Domain, int Bus, int Device, int? Function)
{
    public bool HasFunction => Function.HasValue;

    /// <summary>Lower-case <c>dddd:bb:dd.f</c> (function 0 when absent).</summary>
    public string BusId => string.Create(CultureInfo.InvariantCulture, $"{Domain:x4}:{Bus:x2}:{Device:x2}.{Function ?? 0:x}");

    /// <summary>The Xid-line form, lower-case <c>dddd:bb:dd</c> (no function).</summary>
    public string XidPci => string.Create(CultureInfo.InvariantCulture, $"{Domain:x4}:{Bus:x2}:{Device:x2}");

    public override string ToString() => HasFunction ? BusId : XidPci;

    public static bool TryParse([NotNullWhen(true)] string? text, out PciAddress address)
    {
        address = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var s = text.AsSpan().Trim();
        var first = s.IndexOf(':');
        if (first is not (4 or 8))
        {
            return false;
        }

        var rest = s[(first + 1)..];
        if (rest.Length is not (5 or 7) || rest[2] != ':')
        {
            return false;
        }

        int? function = null;
        if (rest.Length == 7)
        {
            if (rest[5] != '.' || !TryHex(rest[6..7], out var f) || f > 7)
            {
                return false;
            }

            function = f;
        }

        if (!TryHex(s[..first], out var domain) || domain > 0xFFFF
            || !TryHex(rest[..2], out var bus)
            || !TryHex(rest[3..5], out var device) || device > 0x1F)
        {
            return false;
        }

        address = new PciAddress(domain, bus, device, function);
        return true;
    }

    public static PciAddress Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not a PCI address (dddd:bb:dd.f).");

    private static bool TryHex(ReadOnlySpan<char> digits, out int value)
    {
        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                value = 0;
                return false;
            }
        }

        return int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
