namespace FaultAgent.Injection;

/// <summary>
/// The board serial an injection must print (the GPU's preamble, Xid 79's follow-up) is still being looked up: the host's
/// nvidia-smi has not answered within <c>Agent:Telemetry:BoardLookupWait</c>. Thrown before anything is written or
/// reserved; the lookup goes on (up to <c>Agent:Telemetry:CommandTimeout</c>) for a later injection. gRPC
/// <c>UNAVAILABLE</c>, HTTP 503.
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
}
