using System.Text;

namespace FaultAgent.Registry;

/// <summary>
/// A text as a fault keeps it (#14, the agent's memory): ASCII characters — every line the agent builds, unless a
/// caller's message carries others — as their bytes (one byte per character instead of two: ~90 bytes less per fault),
/// any other text as the string it came as. <see cref="ToString"/> gives the same text back; which form a text is held
/// in follows from its characters alone, so two held texts are equal exactly when their characters are.
/// </summary>
internal readonly struct HeldText : IEquatable<HeldText>
{
    // A non-empty ASCII text's bytes, or the text itself (any other string, "" or null).
    private readonly object? _text;

    private HeldText(object? text) => _text = text;

    /// <summary><paramref name="text"/> as its bytes when it is non-empty ASCII, else as itself.</summary>
    public static HeldText Of(string? text)
    {
        if (text is not { Length: > 0 } || !Ascii.IsValid(text))
        {
            return new HeldText(text);
        }

        var bytes = new byte[text.Length];
        Ascii.FromUtf16(text, bytes, out _);
        return new HeldText(bytes);
    }

    /// <summary>The non-empty ASCII text whose bytes are <paramref name="ascii"/>, held as that array (the form <see cref="Of"/> gives the text).</summary>
    public static HeldText OfAscii(byte[] ascii) => new(ascii);

    /// <summary><paramref name="text"/> as the string it is (null too), whatever its characters.</summary>
    public static HeldText AsGiven(string? text) => new(text);

    /// <summary>The text's bytes when it is held as ASCII; null when it is held as a string.</summary>
    public byte[]? AsciiBytes => _text as byte[];

    /// <summary>The text as held: its ASCII bytes, its string, or null.</summary>
    public object? Value => _text;

    /// <summary>Whether the text is null (a record built without one, or read from JSON without one).</summary>
    public bool IsNull => _text is null;

    /// <summary>The characters from <paramref name="start"/>, <paramref name="length"/> of them.</summary>
    public string Substring(int start, int length) =>
        _text is byte[] bytes ? Encoding.ASCII.GetString(bytes, start, length) : ((string)_text!).Substring(start, length);

    /// <summary>Where <paramref name="value"/> last occurs in the text (ordinal), -1 when it does not.</summary>
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

    /// <summary>The text, as it was given.</summary>
    public override string ToString() => _text is byte[] bytes ? Encoding.ASCII.GetString(bytes) : (string)_text!;

    public bool Equals(HeldText other) => (_text, other._text) switch
    {
        (byte[] mine, byte[] theirs) => mine.AsSpan().SequenceEqual(theirs),
        (string or null, string or null) => string.Equals((string?)_text, (string?)other._text, StringComparison.Ordinal),
        _ => false,
    };

    public override bool Equals(object? obj) => obj is HeldText other && Equals(other);

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
