using System.Globalization;

namespace FaultCtl.Hosting;

/// <summary>32-bit words as the driver prints them: decimal or <c>0x</c> hex (<c>0x0000001f</c>).</summary>
public static class UnsignedParser
{
    /// <summary>The value of <paramref name="text"/>, or null with <paramref name="error"/> saying why not.</summary>
    public static uint? Parse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var trimmed = text.Trim();
        if (trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(trimmed.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex)
            : uint.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out hex))
        {
            return hex;
        }

        error = $"'{text}' is not a 32-bit unsigned number (decimal or 0x hex).";
        return null;
    }
}
