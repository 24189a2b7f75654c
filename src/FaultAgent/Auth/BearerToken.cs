namespace FaultAgent.Auth;

/// <summary>One accepted token: the caller name it stands for and the SHA-256 of its bytes (the token itself is not kept).</summary>
public sealed record BearerToken(string Name, byte[] Sha256);
