using System.Globalization;

namespace FaultApi.Paging;

/// <summary>
/// Sort keys that order ordinally as the lists do: fields joined by U+0001 (below every character a field may hold, so a
/// shorter field sorts first), times as 19-digit UTC ticks (ascending) or their complement (newest first).
/// </summary>
public static class PageKeys
{
    private const char Separator = '\u0001';

    public static string Ascending(DateTimeOffset? at) => (at?.UtcTicks ?? 0).ToString("D19", CultureInfo.InvariantCulture);

    public static string Descending(DateTimeOffset? at) => (DateTimeOffset.MaxValue.UtcTicks - (at?.UtcTicks ?? 0)).ToString("D19", CultureInfo.InvariantCulture);

    public static string Join(params ReadOnlySpan<string?> fields)
    {
        var parts = new string[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            parts[i] = (fields[i] ?? "").Replace(Separator, ' ');
        }

        return string.Join(Separator, parts);
    }
}
