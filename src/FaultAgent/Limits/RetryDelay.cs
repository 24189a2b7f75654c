namespace FaultAgent.Limits;

/// <summary>How a refusal's retry delay is told to callers: the <c>Retry-After</c> header and <c>retry_after_seconds</c>.</summary>
public static class RetryDelay
{
    /// <summary><paramref name="retryAfter"/> in whole seconds, rounded up, at least 1 (a delay under a second never reads "retry now").</summary>
    public static long WholeSeconds(TimeSpan retryAfter) => Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
}
