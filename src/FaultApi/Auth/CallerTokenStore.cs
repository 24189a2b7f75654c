using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Auth;

/// <summary>
/// The callers' tokens from <c>Auth:TokenFile</c> (<see cref="CallerTokenFileParser"/>), re-read when the file changes;
/// a changed file that is refused keeps the tokens read before. A presented token is compared as its SHA-256 digest
/// with every accepted token's digest in constant time: the time taken says nothing about which token, or how much of
/// one, matched, nor about any token's length.
/// </summary>
public sealed class CallerTokenStore
{
    private readonly TokenFileReader<IReadOnlyList<CallerToken>> _reader;

    public CallerTokenStore(IOptions<ApiAuthOptions> options, ILogger<CallerTokenStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _reader = new TokenFileReader<IReadOnlyList<CallerToken>>(options.Value.TokenFile, CallerTokenFileParser.Parse, logger);
    }

    /// <summary>Reads the file now (at start): the tokens it holds are the last good set from then on.</summary>
    public void Load() => _reader.Read();

    /// <summary>The caller's name when <paramref name="presented"/> is one of the tokens.</summary>
    public string? Authenticate(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var digest = CallerTokenFileParser.Digest(presented);
        string? match = null;
        foreach (var token in _reader.Read())
        {
            // Every token is compared (no early exit), always 32 bytes against 32 bytes.
            if (CryptographicOperations.FixedTimeEquals(token.Sha256, digest))
            {
                match ??= token.Name;
            }
        }

        return match;
    }
}
