namespace FaultApi.Auth;

/// <summary>One accepted bearer token and the caller it names.</summary>
public sealed record CallerToken(string Name, byte[] Token);
