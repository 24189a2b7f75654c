namespace FaultAgent.Registry;

/// <summary>Bytes read back from the lowercase hex the registry writes them as (a request's digest, a generated fault id).</summary>
internal static class LowercaseHex
{
    /// <summary>
    /// Fills <paramref name="bytes"/> from <paramref name="hex"/> when it is exactly two lowercase hex digits per byte;
    /// false for any other length or character (an uppercase digit included: that is not the form written).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> hex, Span<byte> bytes)
    {
        if (hex.Length != bytes.Length * 2)
        {
            return false;
        }

        foreach (var c in hex)
        {
            if (!char.IsAsciiDigit(c) && !char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return Convert.FromHexString(hex, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == bytes.Length;
    }
}
