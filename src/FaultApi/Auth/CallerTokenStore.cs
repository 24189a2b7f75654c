using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FaultApi.Auth;

/// <summary>
/// The callers' tokens from <c>Auth:TokenFile</c> (one a line, <c>name:token</c> or a bare token named
/// <c>token-&lt;n&gt;</c>; blank lines and <c>#</c> comments skipped), reloaded when the file changes; compared in constant time.
/// </summary>
public sealed class CallerTokenStore
{
    private readonly TokenFileReader<IReadOnlyList<CallerToken>> _reader;

    public CallerTokenStore(IOptions<ApiAuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _reader = new TokenFileReader<IReadOnlyList<CallerToken>>(options.Value.TokenFile, Parse);
    }

    /// <summary>The caller's name when <paramref name="presented"/> is one of the tokens.</summary>
    public string? Authenticate(string presented)
    {
        var bytes = Encoding.UTF8.GetBytes(presented);
        string? match = null;
        foreach (var token in _reader.Read())
        {
            // Every token is compared (no early exit) so timing does not tell which one was close.
            if (CryptographicOperations.FixedTimeEquals(token.Token, bytes))
            {
                match ??= token.Name;
            }
        }

        return match;
    }

    internal static IReadOnlyList<CallerToken> Parse(string content)
    {
        var tokens = new List<CallerToken>();
        foreach (var raw in content.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, token) = colon > 0 ? (line[..colon].Trim(), line[(colon + 1)..].Trim()) : ($"token-{tokens.Count + 1}", line);
            if (token.Length == 0)
            {
                continue;
            }

            tokens.Add(new CallerToken(name, Encoding.UTF8.GetBytes(token)));
        }

        return tokens;
    }
}
