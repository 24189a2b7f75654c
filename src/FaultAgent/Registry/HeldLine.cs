using System.Text;

namespace FaultAgent.Registry;

/// <summary>
/// A fault's line as the registry keeps it (#14, the agent's memory): a line of ASCII characters — every line the agent
/// builds, unless a caller's message carries others — as its bytes (one byte per character instead of two: ~90 bytes less
/// per fault), any other line as the string it came as. <see cref="ToString"/> gives the same text back; which form a
/// line is held in follows from its text alone, so two held lines are equal exactly when their texts are.
/// </summary>
internal readonly struct HeldLine : IEquatable<HeldLine>
{
    // A non-empty ASCII line's bytes, or the line itself (any other string, "" or null).
    private readonly object? _text;

    private HeldLine(object? text) => _text = text;

    /// <summary><paramref name="line"/> as its bytes when it is non-empty ASCII, else as itself.</summary>
    public static HeldLine Of(string? line)
    {
        if (line is not { Length: > 0 } || !Ascii.IsValid(line))
        {
            return new HeldLine(line);
        }

        var bytes = new byte[line.Length];
        Ascii.FromUtf16(line, bytes, out _);
        return new HeldLine(bytes);
    }

    /// <summary>The line's bytes when it is held as ASCII; null when it is held as a string.</summary>
    public byte[]? AsciiBytes => _text as byte[];

    /// <summary>The line's length in characters (0 for a null line).</summary>
    public int Length => _text switch
    {
        byte[] bytes => bytes.Length,
        string text => text.Length,
        _ => 0,
    };

    /// <summary>Whether the line is null (a record built without one, or read from JSON without one).</summary>
    public bool IsNull => _text is null;

    /// <summary>The character at <paramref name="index"/>.</summary>
    public char this[int index] => _text is byte[] bytes ? (char)bytes[index] : ((string)_text!)[index];

    /// <summary>The characters from <paramref name="start"/>, <paramref name="length"/> of them.</summary>
    public string Substring(int start, int length) =>
        _text is byte[] bytes ? Encoding.ASCII.GetString(bytes, start, length) : ((string)_text!).Substring(start, length);

    /// <summary>Where <paramref name="value"/> last occurs in the line (ordinal), -1 when it does not.</summary>
    public int LastIndexOf(string value)
    {
        switch (_text)
        {
            case string text:
                return text.LastIndexOf(value, StringComparison.Ordinal);
            case byte[] bytes:
                if (value.Length > bytes.Length || !Ascii.IsValid(value))
                {
                    return -1;
                }

                Span<byte> ascii = value.Length <= 256 ? stackalloc byte[value.Length] : new byte[value.Length];
                Ascii.FromUtf16(value, ascii, out _);
                return bytes.AsSpan().LastIndexOf(ascii);
            default:
                return -1;
        }
    }

    /// <summary>Whether the line's characters are those of <paramref name="chars"/>.</summary>
    public bool SequenceEqual(ReadOnlySpan<char> chars) => _text switch
    {
        byte[] bytes => Ascii.Equals(bytes, chars),
        string text => chars.SequenceEqual(text),
        _ => false,
    };

    /// <summary>The line, as it was given.</summary>
    public override string ToString() => _text is byte[] bytes ? Encoding.ASCII.GetString(bytes) : (string)_text!;

    public bool Equals(HeldLine other) => (_text, other._text) switch
    {
        (byte[] mine, byte[] theirs) => mine.AsSpan().SequenceEqual(theirs),
        (string or null, string or null) => string.Equals((string?)_text, (string?)other._text, StringComparison.Ordinal),
        _ => false,
    };

    public override bool Equals(object? obj) => obj is HeldLine other && Equals(other);

    public override int GetHashCode()
    {
        switch (_text)
        {
            case byte[] bytes:
                var hash = new HashCode();
                hash.AddBytes(bytes);
                return hash.ToHashCode();
            case string text:
                return string.GetHashCode(text, StringComparison.Ordinal);
            default:
                return 0;
        }
    }
}
