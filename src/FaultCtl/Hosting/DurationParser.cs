using System.Globalization;
using System.Text.RegularExpressions;

namespace FaultCtl.Hosting;

/// <summary>Durations as people type them: <c>600</c> (seconds), <c>90s</c>, <c>10m</c>, <c>1h30m</c>, <c>2d</c>, <c>1.5h</c>.</summary>
public static partial class DurationParser
{
    /// <summary>The duration <paramref name="text"/> names, or null with <paramref name="error"/> saying why not.</summary>
    public static TimeSpan? Parse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return Positive(TimeSpan.FromSeconds(seconds), text, out error);
        }

        var match = DurationPattern().Match(trimmed);
        if (!match.Success)
        {
            error = $"'{text}' is not a duration: use seconds (600) or units s, m, h, d (90s, 10m, 1h30m).";
            return null;
        }

        var total = TimeSpan.Zero;
        for (var i = 0; i < match.Groups["value"].Captures.Count; i++)
        {
            var value = double.Parse(match.Groups["value"].Captures[i].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            total += match.Groups["unit"].Captures[i].Value switch
            {
                "d" => TimeSpan.FromDays(value),
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromSeconds(value),
            };
        }

        return Positive(total, text, out error);
    }

    private static TimeSpan? Positive(TimeSpan value, string text, out string? error)
    {
        error = value > TimeSpan.Zero ? null : $"'{text}' is not a positive duration.";
        return error is null ? value : null;
    }

    [GeneratedRegex(@"^(?:(?<value>\d+(?:\.\d+)?)(?<unit>[dhms]))+$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
