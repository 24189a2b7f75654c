namespace FaultAgent.Injection;

/// <summary>write() reported success but the record never appeared in the kernel log (rate limit, ring overrun).</summary>
public sealed class KernelLogRecordLostException : Exception
{
    public KernelLogRecordLostException()
    {
    }

    public KernelLogRecordLostException(string message)
        : base(message)
    {
    }

    public KernelLogRecordLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
