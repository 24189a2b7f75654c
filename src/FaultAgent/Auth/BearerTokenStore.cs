using System.Security.Cryptography;
using FaultAgent.Hosting;
using FaultAgent.Injection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Auth;

/// <summary>
/// The accepted tokens, read from <c>Agent:TokenFile</c> and re-read when it changes, without a restart. Kubernetes
/// updates a mounted Secret by swapping a symlink, which a file watcher can miss, so every check compares what one
/// stat() of the path (symlinks followed) says of the file it reaches — device, inode, size, modification and change
/// times: a swapped link reaches another inode — and the file is re-read anyway every <see cref="RereadInterval"/>.
/// (One system call per request; it was readlink, lstat and geteuid with their allocations, ~2 % of the agent's CPU in
/// the throughput phase: BENCHMARKS.md "the agent's CPU per injection, profiled".) A file that turns unreadable or empty keeps the last good tokens (and logs why).
/// Tokens are compared as SHA-256 digests in constant time.
/// </summary>
public sealed class BearerTokenStore
{
    public static readonly TimeSpan RereadInterval = TimeSpan.FromSeconds(30);

    private readonly string _path;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BearerTokenStore> _logger;
    private readonly Lock _lock = new();
    private IReadOnlyList<BearerToken> _tokens = [];
    private FileStamp? _fingerprint;
    private long _readAt = long.MinValue;

    public BearerTokenStore(IOptions<AgentOptions> options, TimeProvider timeProvider, ILogger<BearerTokenStore> logger)
    {
        _path = options.Value.TokenFile;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The name of the token presented, or null when no accepted token matches.</summary>
    public string? Authenticate(string presentedToken)
    {
        ArgumentNullException.ThrowIfNull(presentedToken);
        var tokens = CurrentTokens();
        var presented = TokenFileParser.Hash(presentedToken);
        string? name = null;
        foreach (var token in tokens)
        {
            // Every token is compared, match or not, so timing says nothing about which or how many.
            if (CryptographicOperations.FixedTimeEquals(presented, token.Sha256))
            {
                name ??= token.Name;
            }
        }

        return name;
    }

    /// <summary>The tokens now accepted, re-reading the file if it changed.</summary>
    public IReadOnlyList<BearerToken> CurrentTokens()
    {
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            var fingerprint = LinuxSyscalls.Stamp(_path);
            var due = _readAt == long.MinValue || _timeProvider.GetElapsedTime(_readAt, now) >= RereadInterval;
            if (fingerprint != _fingerprint || due)
            {
                Reload(fingerprint, now);
            }

            return _tokens;
        }
    }

    private void Reload(FileStamp fingerprint, long now)
    {
        _readAt = now;
        _fingerprint = fingerprint;
        string text;
        try
        {
            text = File.ReadAllText(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AgentAuthenticationLog.TokenFileUnreadable(_logger, _path, e.Message);
            return;
        }

        var tokens = TokenFileParser.Parse(text, out var problems);
        foreach (var problem in problems)
        {
            AgentAuthenticationLog.TokenLineRejected(_logger, _path, problem);
        }

        if (tokens.Count == 0)
        {
            AgentAuthenticationLog.TokenFileEmpty(_logger, _path);
            return;
        }

        if (!SameTokens(tokens, _tokens))
        {
            AgentAuthenticationLog.TokensLoaded(_logger, _path, tokens.Count);
        }

        _tokens = tokens;
    }

    private static bool SameTokens(IReadOnlyList<BearerToken> a, IReadOnlyList<BearerToken> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name && p.First.Sha256.AsSpan().SequenceEqual(p.Second.Sha256));
}
