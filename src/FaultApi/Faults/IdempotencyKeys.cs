using System.Security.Cryptography;
using System.Text;

namespace FaultApi.Faults;

/// <summary>
/// Per-node idempotency keys derived deterministically from the caller, the request's key (the
/// <c>Idempotency-Key</c> header, or one generated per API request) and the node, so that a retry, through any API
/// replica, sends the agent the same key and the agent writes nothing twice.
/// </summary>
public static class IdempotencyKeys
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxHeaderLength = 256;

    /// <summary>
    /// A request key of 32 random lowercase hex digits (the form <c>Guid.ToString("N")</c> had), from the cryptographic
    /// generator in user space: <c>Guid.NewGuid</c> read 16 bytes of <c>/dev/urandom</c> with a <c>read()</c> per
    /// injection (#14, BENCHMARKS.md 2026-12-04 apihop2).
    /// </summary>
    public static string NewRequestKey() => RandomNumberGenerator.GetHexString(32, lowercase: true);

    public static string ForNode(string caller, string requestKey, string nodeName) =>
        "api-" + Hash(caller, requestKey, nodeName)[..48];

    /// <summary>The fault id the API gives a fault the caller did not name: <c>fault-</c> and 32 hex digits, stable per caller, request key and node.</summary>
    public static string FaultIdForNode(string caller, string requestKey, string nodeName) =>
        "fault-" + Hash("fault-id", caller, requestKey, nodeName)[..32];

    /// <summary>The id of a caller's request in the blast-radius ledger (its recorded targets), from the caller and the Idempotency-Key.</summary>
    public static string ForRequest(string caller, string requestKey) => "req-" + Hash("request", caller, requestKey)[..48];

    /// <summary>A stable order of the candidate nodes for a request key (rendezvous hashing): a retry picks the same nodes.</summary>
    public static string Rank(string requestKey, string nodeName) => Hash(requestKey, nodeName);

    private static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));
}
