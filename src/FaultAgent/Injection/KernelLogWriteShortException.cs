namespace FaultAgent.Injection;

/// <summary>write() to /dev/kmsg took fewer bytes than the record: what the kernel kept of it is unknown.</summary>
public sealed class KernelLogWriteShortException : Exception
{
    public KernelLogWriteShortException()
    {
    }

    public KernelLogWriteShortException(string message)
        : base(message)
    {
    }

    public KernelLogWriteShortException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
