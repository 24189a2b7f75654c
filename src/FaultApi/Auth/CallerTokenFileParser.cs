using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FaultApi.Auth;

/// <summary>
/// The callers' token file: one token a line, <c>name:token</c> (a line with a colon always names its caller; the name is
/// <c>[A-Za-z0-9._-]{1,64}</c>) or a bare token named <c>token-&lt;n&gt;</c> by its position among the tokens; blank lines
/// and <c>#</c> comments are skipped. A token is <see cref="MinimumTokenLength"/> to <see cref="MaximumTokenLength"/>
/// visible ASCII characters (no spaces). One bad line, a token given twice, or no token at all refuses the whole file
/// (<see cref="TokenFileFormatException"/>, naming the lines): a half-read file could silently drop or keep a caller.
/// </summary>
public static partial class CallerTokenFileParser
{
    public const int MinimumTokenLength = 16;
    public const int MaximumTokenLength = 4096;

    /// <exception cref="TokenFileFormatException">A line is not a valid token line, a token repeats, or there is none.</exception>
    public static IReadOnlyList<CallerToken> Parse(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var tokens = new List<CallerToken>();
        var problems = new List<string>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in content.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon >= 0 ? line[..colon].Trim() : $"token-{tokens.Count + 1}";
            var token = colon >= 0 ? line[(colon + 1)..].Trim() : line;
            if (!NamePattern().IsMatch(name))
            {
                problems.Add(Line(lineNumber, "the caller name before ':' must be 1 to 64 of A-Z a-z 0-9 . _ -"));
                continue;
            }

            if (token.Length is < MinimumTokenLength or > MaximumTokenLength || !IsVisibleAscii(token))
            {
                problems.Add(Line(lineNumber, $"the token of '{name}' must be {MinimumTokenLength} to {MaximumTokenLength} visible ASCII characters without spaces"));
                continue;
            }

            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(token));
            if (!firstLineOf.TryAdd(Convert.ToHexString(digest), lineNumber))
            {
                problems.Add(Line(lineNumber, $"the token of '{name}' is the same as line {firstLineOf[Convert.ToHexString(digest)].ToString(CultureInfo.InvariantCulture)}'s; every caller needs a token of its own"));
                continue;
            }

            tokens.Add(new CallerToken(name, digest));
        }

        if (problems.Count > 0)
        {
            throw new TokenFileFormatException(string.Join("; ", problems));
        }

        return tokens.Count > 0 ? tokens : throw new TokenFileFormatException("it holds no token (one a line, 'name:token' or a bare token)");
    }

    /// <summary>The SHA-256 of a presented token: every comparison is between two 32-byte digests, whatever the token's length.</summary>
    public static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Line(int number, string problem) => $"line {number.ToString(CultureInfo.InvariantCulture)}: {problem}";

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
