using FaultAgent.Limits;

namespace FaultAgent.Injection;

/// <summary>
/// The board serial an injection must print (the GPU's preamble, Xid 79's follow-up) is still being looked up: the host's
/// nvidia-smi has not answered within <c>Agent:Telemetry:BoardLookupWait</c>. Thrown before anything is written or
/// reserved; the lookup goes on (up to <c>Agent:Telemetry:CommandTimeout</c>) for a later injection. gRPC
/// <c>UNAVAILABLE</c> with ErrorInfo <c>BOARD_SERIAL_PENDING</c> and RetryInfo, HTTP 503 with <c>Retry-After</c>.
/// </summary>
public sealed class BoardInfoPendingException : Exception
{
    public BoardInfoPendingException()
    {
    }

    public BoardInfoPendingException(string message)
        : base(message)
    {
    }

    public BoardInfoPendingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BoardInfoPendingException(string pciBusId, TimeSpan retryAfter, string message)
        : base(message)
    {
        PciBusId = pciBusId;
        RetryAfter = retryAfter;
    }

    /// <summary>The GPU whose board serial is looked up (procfs form, <c>0000:3b:00.0</c>).</summary>
    public string PciBusId { get; } = "";

    /// <summary>
    /// When the shared nvidia-smi run is expected to have answered or timed out (what is left of its
    /// <c>CommandTimeout</c>), at least 1 s: a retry then finds the serial kept, or the run's failure kept, and is written.
    /// </summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);

    /// <summary><see cref="RetryAfter"/> in whole seconds, rounded up, at least 1 (the <c>Retry-After</c> header's value).</summary>
    public long RetryAfterSeconds => RetryDelay.WholeSeconds(RetryAfter);
}
