using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FaultAgent.Auth;

/// <summary>
/// Parses the token file: one token per line, optionally <c>name:token</c> to name the caller (name
/// <c>[A-Za-z0-9._-]{1,64}</c>); a bare token is named <c>token-&lt;line&gt;</c>. Blank lines and lines starting with
/// <c>#</c> are ignored. A token is 16 to 4096 visible ASCII characters without spaces.
/// </summary>
public static partial class TokenFileParser
{
    public const int MinimumTokenLength = 16;
    public const int MaximumTokenLength = 4096;

    /// <summary>The tokens in <paramref name="text"/>; <paramref name="problems"/> names each line that was rejected.</summary>
    public static IReadOnlyList<BearerToken> Parse(string text, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<BearerToken>();
        var rejected = new List<string>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var name = $"token-{lineNumber}";
            var token = line;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && NamePattern().IsMatch(line[..colon]))
            {
                name = line[..colon];
                token = line[(colon + 1)..];
            }

            if (token.Length is < MinimumTokenLength or > MaximumTokenLength || !IsVisibleAscii(token))
            {
                rejected.Add($"line {lineNumber}: a token must be {MinimumTokenLength} to {MaximumTokenLength} visible ASCII characters without spaces");
                continue;
            }

            tokens.Add(new BearerToken(name, Hash(token)));
        }

        problems = rejected;
        return tokens;
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static bool IsVisibleAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
