namespace FaultAgent.Registry;

/// <summary>
/// A fault's idempotency key as the registry keeps it (#14, the agent's memory): the key as given while a request is
/// planned and written, and, once its record is in the registry's map (<see cref="Compact"/>), a key of the API's form
/// (<see cref="ApiIdempotencyKey"/>: <c>api-</c> and 48 lowercase hex digits) as its 24 bytes. Any other key stays the
/// string it came as. Two held keys are equal exactly when their characters are, in whichever form each is held, and hash
/// alike, so the registry finds a record by the key a request spells (<see cref="Of"/> wraps it without copying).
/// </summary>
internal readonly struct HeldIdempotencyKey : IEquatable<HeldIdempotencyKey>
{
    // The key as given (a string; null or "" for none), or its ApiIdempotencyKey.
    private readonly object? _key;

    private HeldIdempotencyKey(object? key) => _key = key;

    /// <summary><paramref name="key"/> as given: no copy is made.</summary>
    public static HeldIdempotencyKey Of(string? key) => new(key);

    /// <summary>Whether there is no key (null or empty).</summary>
    public bool IsEmpty => _key is null or "";

    /// <summary>The key held as its bytes when it is of the API's form; else as it is.</summary>
    public HeldIdempotencyKey Compact() => _key is string text && ApiIdempotencyKey.TryOf(text) is { } bytes ? new HeldIdempotencyKey(bytes) : this;

    /// <summary>The key, as it was given (null for none).</summary>
    public override string? ToString() => _key is ApiIdempotencyKey bytes ? bytes.ToString() : (string?)_key;

    public bool Equals(HeldIdempotencyKey other) => (_key, other._key) switch
    {
        (ApiIdempotencyKey mine, ApiIdempotencyKey theirs) => mine.Equals(theirs),
        (ApiIdempotencyKey mine, string theirs) => mine.Is(theirs),
        (string mine, ApiIdempotencyKey theirs) => theirs.Is(mine),
        (ApiIdempotencyKey, _) or (_, ApiIdempotencyKey) => false,
        _ => string.Equals((string?)_key, (string?)other._key, StringComparison.Ordinal),
    };

    public override bool Equals(object? obj) => obj is HeldIdempotencyKey other && Equals(other);

    public override int GetHashCode() => _key switch
    {
        ApiIdempotencyKey bytes => bytes.GetHashCode(),
        string text => ApiIdempotencyKey.HashOf(text),
        _ => 0,
    };
}
