namespace FaultApi.Auth;

/// <summary>One accepted bearer token: the caller it names and the SHA-256 of its bytes (the token itself is not kept).</summary>
public sealed record CallerToken(string Name, byte[] Sha256);
