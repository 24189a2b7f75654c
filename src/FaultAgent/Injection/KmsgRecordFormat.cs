using System.Buffers.Text;
using System.Text;

namespace FaultAgent.Injection;

/// <summary>
/// The /dev/kmsg read format (Documentation/ABI/testing/dev-kmsg): one record per read(),
/// <c>prio,seq,usec,flags[,...];text\n</c> followed by optional continuation lines <c> KEY=value\n</c>. Bytes outside
/// printable ASCII (and backslash) in the text are shown as <c>\xNN</c>. prio = facility * 8 + level.
/// </summary>
public static class KmsgRecordFormat
{
    /// <summary>Parses the header; <paramref name="text"/> is the raw (still escaped) text up to the first newline.</summary>
    public static bool TryParseHeader(ReadOnlySpan<byte> record, out int priority, out ulong sequence, out ulong timestampMicroseconds, out ReadOnlySpan<byte> text)
    {
        priority = 0;
        sequence = 0;
        timestampMicroseconds = 0;
        text = default;
        var semicolon = record.IndexOf((byte)';');
        if (semicolon < 0)
        {
            return false;
        }

        var header = record[..semicolon];
        if (!Utf8Parser.TryParse(header, out priority, out var used) || used >= header.Length || header[used] != ',')
        {
            return false;
        }

        header = header[(used + 1)..];
        if (!Utf8Parser.TryParse(header, out sequence, out used) || used >= header.Length || header[used] != ',')
        {
            return false;
        }

        header = header[(used + 1)..];
        if (!Utf8Parser.TryParse(header, out timestampMicroseconds, out used) || (used < header.Length && header[used] != ','))
        {
            return false;
        }

        var body = record[(semicolon + 1)..];
        var newline = body.IndexOf((byte)'\n');
        text = newline < 0 ? body : body[..newline];
        return true;
    }

    /// <summary>Parses one record read from /dev/kmsg, undoing the kernel's <c>\xNN</c> escapes in the text.</summary>
    public static KernelLogRecord? Parse(ReadOnlySpan<byte> record)
    {
        if (!TryParseHeader(record, out var priority, out var sequence, out var usec, out var text))
        {
            return null;
        }

        return new KernelLogRecord(sequence, usec, priority >> 3, priority & 7, Unescape(text));
    }

    /// <summary>Turns the kernel's <c>\xNN</c> escapes back into bytes and decodes UTF-8.</summary>
    public static string Unescape(ReadOnlySpan<byte> text)
    {
        if (text.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(text);
        }

        var bytes = new byte[text.Length];
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x'
                && IsHex(text[i + 2]) && IsHex(text[i + 3]))
            {
                bytes[length++] = (byte)((HexValue(text[i + 2]) << 4) | HexValue(text[i + 3]));
                i += 3;
            }
            else
            {
                bytes[length++] = text[i];
            }
        }

        return Encoding.UTF8.GetString(bytes, 0, length);
    }

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
