using System.Buffers.Binary;

namespace FaultAgent.Registry;

/// <summary>
/// A request fingerprint as the registry keeps it: the 32 bytes of a SHA-256 digest held in the record itself, instead of
/// the 64-character lowercase hex string every reader sees (#14, the agent's memory: the string was ~150 bytes per
/// fault). <see cref="ToHex"/> renders the same string again; anything else is not a digest and is kept as text.
/// </summary>
internal readonly record struct RequestDigest(ulong Word0, ulong Word1, ulong Word2, ulong Word3)
{
    /// <summary>The length of the hex form: 32 bytes, two lowercase hex digits each.</summary>
    public const int HexLength = 64;

    /// <summary>Reads <paramref name="hex"/> when it is exactly 64 lowercase hex digits (the form written); anything else is not a digest.</summary>
    public static bool TryParse(string? hex, out RequestDigest digest)
    {
        digest = default;
        Span<byte> bytes = stackalloc byte[HexLength / 2];
        if (hex is null || !LowercaseHex.TryDecode(hex, bytes))
        {
            return false;
        }

        digest = new RequestDigest(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
        return true;
    }

    /// <summary>The 64 lowercase hex digits this digest was read from.</summary>
    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[HexLength / 2];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, Word0);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], Word1);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], Word2);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], Word3);
        return Convert.ToHexStringLower(bytes);
    }
}
