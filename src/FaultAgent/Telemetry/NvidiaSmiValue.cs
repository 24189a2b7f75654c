using System.Globalization;

namespace FaultAgent.Telemetry;

/// <summary>
/// One value as nvidia-smi prints it in CSV or pmon output. Every bracketed token (<c>[N/A]</c>, <c>[Not Supported]</c>,
/// <c>[Unknown Error]</c>, <c>[GPU is lost]</c>, <c>[Insufficient Permissions]</c>, <c>[GPU requires reset]</c>,
/// <c>[Not Found]</c>, ...), a bare <c>N/A</c> and pmon's <c>-</c> mean "no value": null, never zero.
/// </summary>
public static class NvidiaSmiValue
{
    public static bool IsMissing(string? token)
    {
        if (token is null)
        {
            return true;
        }

        var t = token.Trim();
        return t.Length == 0 || t == "-" || t == "N/A" || (t.StartsWith('[') && t.EndsWith(']'));
    }

    public static string? AsText(string? token) => IsMissing(token) ? null : token!.Trim();

    public static double? AsDouble(string? token)
    {
        var number = Number(token);
        return number is not null && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    public static long? AsLong(string? token)
    {
        var number = Number(token);
        if (number is null)
        {
            return null;
        }

        if (long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        // "4.00" style integers.
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d)
            && d is >= long.MinValue and <= long.MaxValue
            ? (long)d
            : null;
    }

    public static int? AsInt(string? token)
    {
        var value = AsLong(token);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value.Value : null;
    }

    /// <summary>Yes/No, Enabled/Disabled, True/False, 1/0, Active/Not Active.</summary>
    public static bool? AsBool(string? token)
    {
        var text = AsText(token);
        return text?.ToUpperInvariant() switch
        {
            "YES" or "ENABLED" or "TRUE" or "1" or "ACTIVE" or "PENDING" => true,
            "NO" or "DISABLED" or "FALSE" or "0" or "NOT ACTIVE" or "NONE" => false,
            _ => null,
        };
    }

    /// <summary>The number part of a value, without a unit suffix ("130004 MiB", "100 %", "28.16 W").</summary>
    private static string? Number(string? token)
    {
        var text = AsText(token);
        if (text is null)
        {
            return null;
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? text : text[..space];
    }
}
