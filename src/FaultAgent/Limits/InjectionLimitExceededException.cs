namespace FaultAgent.Limits;

/// <summary>An injection refused by a node limit before anything was written: gRPC RESOURCE_EXHAUSTED, HTTP 429.</summary>
public sealed class InjectionLimitExceededException : Exception
{
    public InjectionLimitExceededException()
    {
    }

    public InjectionLimitExceededException(string message)
        : base(message)
    {
    }

    public InjectionLimitExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InjectionLimitExceededException(InjectionLimit limit, TimeSpan retryAfter, string message)
        : base(message)
    {
        Limit = limit;
        RetryAfter = retryAfter;
    }

    public InjectionLimit Limit { get; }

    /// <summary>When trying again can succeed (the next token; for the fault cap, the next expiry).</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary><see cref="RetryAfter"/> in whole seconds, rounded up, at least 1 (the <c>Retry-After</c> header's value).</summary>
    public long RetryAfterSeconds => RetryDelay.WholeSeconds(RetryAfter);

    /// <summary>The node whose limit refused (the QuotaFailure's subject).</summary>
    public string NodeName { get; init; } = "";
}
