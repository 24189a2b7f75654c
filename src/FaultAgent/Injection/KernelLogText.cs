using System.Globalization;
using FaultAgent.Faults;

namespace FaultAgent.Injection;

/// <summary>
/// The rules for text that goes into a /dev/kmsg record: printable ASCII (0x20-0x7E) only, no backslash, and the
/// whole record (<c>&lt;N&gt;</c> prefix, text and newline) at most <see cref="MaxRecordBytes"/> bytes.
/// A caller's text can therefore never add a line, a control character or an escape sequence to the log.
/// </summary>
public static class KernelLogText
{
    /// <summary>The largest record written in one write(), prefix and newline included (the kernel refuses ~976-992+).</summary>
    public const int MaxRecordBytes = 976;

    /// <summary>Bytes a record of <paramref name="text"/> at <paramref name="level"/> takes: "&lt;N&gt;" + text + "\n".</summary>
    public static int RecordBytes(int level, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return level.ToString(CultureInfo.InvariantCulture).Length + 2 + text.Length + 1;
    }

    /// <summary>Throws <see cref="InvalidRequestException"/> naming <paramref name="field"/> if the text holds a forbidden character.</summary>
    public static void ValidateCharacters(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is < ' ' or > '~')
            {
                throw new InvalidRequestException(field,
                    $"character {Describe(c)} at position {i} is not allowed: only printable ASCII (0x20-0x7E) may go into the kernel log, never a newline, control character or escape sequence.");
            }

            if (c == '\\')
            {
                throw new InvalidRequestException(field,
                    $"backslash at position {i} is not allowed: the kernel log shows it as an escape sequence.");
            }
        }
    }

    /// <summary>
    /// Validates the text of one record: one line, or several joined by <c>\n</c> as the driver prints a multi-line
    /// message in one printk (the fallen-off-the-bus probe message). Each line is non-empty and passes
    /// <see cref="ValidateCharacters"/>; the newlines stay inside the one record.
    /// </summary>
    public static void ValidateRecordText(string field, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var offset = 0;
        while (true)
        {
            // Line by line in place (no split: this runs for every record written).
            var end = text.IndexOf('\n', offset);
            var length = (end < 0 ? text.Length : end) - offset;
            if (length == 0)
            {
                throw new InvalidRequestException(field,
                    string.Create(CultureInfo.InvariantCulture, $"empty line at position {offset}: a record's lines are joined by single newlines, with none at its start or end."));
            }

            if (HasForbiddenCharacter(text.AsSpan(offset, length)))
            {
                try
                {
                    ValidateCharacters(field, text.Substring(offset, length));
                }
                catch (InvalidRequestException e)
                {
                    throw new InvalidRequestException(field, string.Create(CultureInfo.InvariantCulture, $"{e.Description} (in the line starting at position {offset})"));
                }
            }

            if (end < 0)
            {
                return;
            }

            offset = end + 1;
        }
    }

    /// <summary>
    /// The text as a /dev/kmsg reader gets it: the kernel shows a byte outside printable ASCII as <c>\xNN</c>, so a
    /// record's interior newline reads <c>\x0a</c> (the only such byte <see cref="ValidateRecordText"/> lets through).
    /// </summary>
    public static string KmsgEscaped(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('\n', StringComparison.Ordinal) ? text.Replace("\n", "\\x0a", StringComparison.Ordinal) : text;
    }

    /// <summary>Throws if a record of this text would exceed <see cref="MaxRecordBytes"/>; <paramref name="field"/> is blamed.</summary>
    public static void ValidateRecordSize(string field, int level, string text)
    {
        var bytes = RecordBytes(level, text);
        if (bytes > MaxRecordBytes)
        {
            throw new InvalidRequestException(field,
                $"the record would be {bytes} bytes, more than the {MaxRecordBytes} bytes one kernel log record may hold; shorten it by {bytes - MaxRecordBytes} characters.");
        }
    }

    /// <summary>True when <see cref="ValidateCharacters"/> would refuse <paramref name="line"/>.</summary>
    private static bool HasForbiddenCharacter(ReadOnlySpan<char> line)
    {
        foreach (var c in line)
        {
            if (c is < ' ' or > '~' or '\\')
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(char c) => c switch
    {
        '\n' => "newline (0x0A)",
        '\r' => "carriage return (0x0D)",
        '\t' => "tab (0x09)",
        '\0' => "NUL (0x00)",
        '\u001b' => "ESC (0x1B)",
        '\u007f' => "DEL (0x7F)",
        _ => string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}"),
    };
}
