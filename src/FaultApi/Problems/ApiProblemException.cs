namespace FaultApi.Problems;

/// <summary>A request the API refuses or cannot complete; turned into RFC 7807 problem details by <see cref="ApiProblemEndpointFilter"/>.</summary>
public sealed class ApiProblemException : Exception
{
    public ApiProblemException(int status, string title, string detail, IDictionary<string, string[]>? errors = null, IDictionary<string, object?>? extensions = null, Exception? innerException = null)
        : base(detail, innerException)
    {
        Status = status;
        Title = title;
        Errors = errors;
        Extensions = extensions ?? new Dictionary<string, object?>();
    }

    public ApiProblemException()
        : this(500, "Error", "error")
    {
    }

    public ApiProblemException(string message)
        : this(500, "Error", message)
    {
    }

    public ApiProblemException(string message, Exception innerException)
        : this(500, "Error", message, innerException: innerException)
    {
    }

    public int Status { get; }

    public string Title { get; }

    public IDictionary<string, string[]>? Errors { get; }

    public IDictionary<string, object?> Extensions { get; }

    /// <summary>When set, the answer carries a <c>Retry-After</c> header (whole seconds, rounded up).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The problem type URI, for problems a client must tell apart by more than the status (RFC 7807 <c>type</c>).</summary>
    public string? Type { get; init; }

    /// <summary>
    /// The nodes on which the API knows nothing was written by this request, whatever the status: an agent refused the
    /// injection and the API did not send it again (the emergency-stop confirmation's 503s, an agent's 503
    /// BOARD_SERIAL_PENDING, KERNEL_LOG_RECORD_LOST or STATE_DIRECTORY_UNWRITABLE without DCGM values taken back, after
    /// the channel's attempts). Their blast-radius
    /// reservations are dropped as for a 4xx refusal. Not part of the answer.
    /// </summary>
    public IReadOnlyCollection<string> NothingWrittenOn { get; init; } = [];
}
