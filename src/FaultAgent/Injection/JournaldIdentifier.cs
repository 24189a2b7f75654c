namespace FaultAgent.Injection;

/// <summary>
/// How journald reads a /dev/kmsg record written from user space. The kernel forces facility LOG_USER on such
/// writes, and journald parses LOG_USER records like syslog lines: the leading token up to the first ':' (no
/// whitespace, optional <c>[pid]</c>) becomes SYSLOG_IDENTIFIER and is cut off MESSAGE, with one following space.
/// So the record text carries the identifier twice — <c>NVRM: NVRM: Xid ...</c>,
/// <c>nvidia-nvswitch3: nvidia-nvswitch3: SXid ...</c> — and journald's MESSAGE then reads exactly like the driver's
/// line, while dmesg and /dev/kmsg readers (gpud, Konduktor) see the doubled text, which their patterns still match.
/// </summary>
public static class JournaldIdentifier
{
    /// <summary>The record text to write so that journald's MESSAGE equals <paramref name="monitorLine"/>.</summary>
    public static string ToRecordText(string monitorLine)
    {
        var (identifier, _) = Parse(monitorLine);
        if (identifier is null)
        {
            throw new ArgumentException($"The line '{monitorLine}' does not start with a syslog identifier ('token: ').", nameof(monitorLine));
        }

        return identifier + ": " + monitorLine;
    }

    /// <summary>Splits a record text as journald does: (SYSLOG_IDENTIFIER or null, MESSAGE).</summary>
    public static (string? Identifier, string Message) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '[' && text[end] != ':')
        {
            end++;
        }

        var cursor = end;
        if (cursor < text.Length && text[cursor] == '[')
        {
            var close = text.IndexOf(']', cursor);
            if (close < 0)
            {
                return (null, text);
            }

            cursor = close + 1;
        }

        if (end == start || cursor >= text.Length || text[cursor] != ':')
        {
            return (null, text);
        }

        cursor++;
        if (cursor < text.Length && text[cursor] == ' ')
        {
            cursor++;
        }

        return (text[start..end], text[cursor..]);
    }
}
