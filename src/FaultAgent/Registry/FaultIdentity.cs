using System.Buffers.Binary;

namespace FaultAgent.Registry;

/// <summary>
/// A fault id as the registry keeps it: an id the agent generates (<c>fault-</c> and 32 lowercase hex digits, a GUID's
/// <c>N</c> form) as its 16 bytes, anything else as the string it came as (#14, the agent's memory: the generated id's
/// string was ~100 bytes per fault). <see cref="ToString"/> renders exactly the id it was read from, and two identities
/// are equal exactly when their ids are, so the registry finds a record by the id's characters (<see cref="FaultRecordMap"/>).
/// </summary>
internal readonly record struct FaultIdentity
{
    /// <summary>The generated form's prefix.</summary>
    public const string Prefix = "fault-";

    private const int HexDigits = 32;

    private readonly ulong _high;
    private readonly ulong _low;
    private readonly string? _text;

    private FaultIdentity(ulong high, ulong low, string? text)
    {
        _high = high;
        _low = low;
        _text = text;
    }

    /// <summary><paramref name="id"/> as 16 bytes when it is the generated form, else the string itself (null stays null).</summary>
    public static FaultIdentity Of(string? id) => id is not null && TryParse(id, out var high, out var low) ? new FaultIdentity(high, low, null) : new FaultIdentity(0, 0, id);

    /// <summary>The identity whose parts (<see cref="High"/>, <see cref="Low"/>, <see cref="Text"/>) are these: how a <see cref="FaultRecord"/> holds it apart.</summary>
    public static FaultIdentity FromParts(ulong high, ulong low, string? text) => new(high, low, text);

    /// <summary>A generated id's first 8 bytes (0 for an id held as text).</summary>
    public ulong High => _high;

    /// <summary>A generated id's last 8 bytes (0 for an id held as text).</summary>
    public ulong Low => _low;

    /// <summary>An id not of the generated form, as given; null for a generated one (and for no id).</summary>
    public string? Text => _text;

    /// <summary>The hash of the id <paramref name="id"/> spells, the same as <see cref="GetHashCode"/> of its identity.</summary>
    public static int HashOf(ReadOnlySpan<char> id) =>
        TryParse(id, out var high, out var low) ? HashCode.Combine(high, low) : string.GetHashCode(id, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="id"/> spells this identity's id.</summary>
    public bool Is(ReadOnlySpan<char> id) =>
        _text is null
            ? (_high | _low) != 0 && TryParse(id, out var high, out var low) && high == _high && low == _low
            : id.SequenceEqual(_text);

    public bool Equals(FaultIdentity other) => _high == other._high && _low == other._low && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override int GetHashCode() => _text is null ? HashCode.Combine(_high, _low) : string.GetHashCode(_text, StringComparison.Ordinal);

    /// <summary>The id, as it was given.</summary>
    public override string ToString()
    {
        if (_text is not null || (_high | _low) == 0)
        {
            return _text!;
        }

        var (high, low) = (_high, _low);
        return string.Create(Prefix.Length + HexDigits, (high, low), static (chars, words) =>
        {
            Prefix.AsSpan().CopyTo(chars);
            Span<byte> bytes = stackalloc byte[HexDigits / 2];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, words.high);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], words.low);
            Convert.TryToHexStringLower(bytes, chars[Prefix.Length..], out _);
        });
    }

    private static bool TryParse(ReadOnlySpan<char> id, out ulong high, out ulong low)
    {
        high = 0;
        low = 0;
        if (id.Length != Prefix.Length + HexDigits || !id.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[HexDigits / 2];
        if (!LowercaseHex.TryDecode(id[Prefix.Length..], bytes))
        {
            return false;
        }

        high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        return (high | low) != 0; // all zeros is kept as text: (0, 0) without text is a null id
    }
}
