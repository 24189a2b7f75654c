using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FaultAgent.Auth;

/// <summary>
/// Parses the token file: one token per line, optionally <c>name:token</c> to name the caller (name
/// <c>[A-Za-z0-9._-]{1,64}</c>); a bare token is named <c>token-&lt;line&gt;</c>. Blank lines and lines starting with
/// <c>#</c> are ignored. A token is 16 to 4096 visible ASCII characters without spaces. A token given on two or more
/// lines is accepted on none of them: it would authenticate every one of its callers as the first line's name, so the
/// audit trail would name the wrong caller (the API refuses such a file outright; the agent refuses it at start,
/// <see cref="AgentAuthenticationValidator"/>, and on a reload keeps the file's other tokens).
/// </summary>
public static partial class TokenFileParser
{
    public const int MinimumTokenLength = 16;
    public const int MaximumTokenLength = 4096;

    /// <summary>The tokens in <paramref name="text"/>; <paramref name="problems"/> names each line that was rejected.</summary>
    public static IReadOnlyList<BearerToken> Parse(string text, out IReadOnlyList<string> problems) =>
        Parse(text, out problems, out _);

    /// <summary>
    /// The tokens in <paramref name="text"/>; <paramref name="problems"/> names each line that was rejected, and
    /// <paramref name="repeated"/> those of them rejected because their token is on another line too.
    /// </summary>
    public static IReadOnlyList<BearerToken> Parse(string text, out IReadOnlyList<string> problems, out IReadOnlyList<string> repeated)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<(BearerToken Token, int Line)>();
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

            tokens.Add((new BearerToken(name, Hash(token)), lineNumber));
        }

        // A token on two or more lines names no caller: every one of its lines is rejected.
        var byDigest = tokens.GroupBy(t => Convert.ToHexString(t.Token.Sha256), StringComparer.Ordinal).ToList();
        var repeats = byDigest.Where(g => g.Count() > 1)
            .Select(g => $"lines {string.Join(", ", g.Select(t => t.Line.ToString(CultureInfo.InvariantCulture)))}: the same token for '{string.Join("', '", g.Select(t => t.Token.Name))}'; every caller needs a token of its own, so none of these lines is accepted")
            .ToList();
        rejected.AddRange(repeats);
        problems = rejected;
        repeated = repeats;
        return [.. byDigest.Where(g => g.Count() == 1).Select(g => g.Single()).OrderBy(t => t.Line).Select(t => t.Token)];
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
