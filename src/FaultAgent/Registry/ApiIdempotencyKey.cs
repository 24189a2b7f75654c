using System.Buffers.Binary;

namespace FaultAgent.Registry;

/// <summary>
/// An idempotency key of the form the API sends with every injection (<c>api-</c> and 48 lowercase hex digits,
/// FaultApi's <c>IdempotencyKeys.ForNode</c>) as its 24 bytes: a 40-byte object instead of the key's 128-byte string
/// (#14, the agent's memory). <see cref="ToString"/> renders exactly the key it was read from.
/// </summary>
internal sealed class ApiIdempotencyKey : IEquatable<ApiIdempotencyKey>
{
    /// <summary>The form's prefix.</summary>
    public const string Prefix = "api-";

    private const int Bytes = 24;

    /// <summary>The length of the form: the prefix and two lowercase hex digits per byte.</summary>
    public const int Length = 4 + (Bytes * 2);

    private readonly ulong _word0;
    private readonly ulong _word1;
    private readonly ulong _word2;

    private ApiIdempotencyKey(ulong word0, ulong word1, ulong word2)
    {
        _word0 = word0;
        _word1 = word1;
        _word2 = word2;
    }

    /// <summary><paramref name="key"/> as its bytes when it is exactly the API's form; null for anything else.</summary>
    public static ApiIdempotencyKey? TryOf(ReadOnlySpan<char> key) =>
        TryParse(key, out var word0, out var word1, out var word2) ? new ApiIdempotencyKey(word0, word1, word2) : null;

    /// <summary>The hash of the key <paramref name="key"/> spells, the same as <see cref="GetHashCode"/> of the key held (the API's form), else of its characters.</summary>
    public static int HashOf(ReadOnlySpan<char> key) =>
        TryParse(key, out var word0, out var word1, out var word2) ? HashCode.Combine(word0, word1, word2) : string.GetHashCode(key, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="key"/> spells this key.</summary>
    public bool Is(ReadOnlySpan<char> key) =>
        TryParse(key, out var word0, out var word1, out var word2) && word0 == _word0 && word1 == _word1 && word2 == _word2;

    public bool Equals(ApiIdempotencyKey? other) =>
        other is not null && _word0 == other._word0 && _word1 == other._word1 && _word2 == other._word2;

    public override bool Equals(object? obj) => obj is ApiIdempotencyKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_word0, _word1, _word2);

    /// <summary>The key, as it was given.</summary>
    public override string ToString() =>
        string.Create(Length, this, static (chars, key) =>
        {
            Prefix.AsSpan().CopyTo(chars);
            Span<byte> bytes = stackalloc byte[Bytes];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, key._word0);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], key._word1);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], key._word2);
            Convert.TryToHexStringLower(bytes, chars[Prefix.Length..], out _);
        });

    private static bool TryParse(ReadOnlySpan<char> key, out ulong word0, out ulong word1, out ulong word2)
    {
        word0 = word1 = word2 = 0;
        Span<byte> bytes = stackalloc byte[Bytes];
        if (key.Length != Length || !key.StartsWith(Prefix, StringComparison.Ordinal) || !LowercaseHex.TryDecode(key[Prefix.Length..], bytes))
        {
            return false;
        }

        word0 = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        word1 = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        word2 = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        return true;
    }
}
