namespace FaultAgent.Injection;

/// <summary>/dev/kmsg (or the target namespace) cannot be opened, read or written.</summary>
public sealed class KernelLogUnavailableException : Exception
{
    public KernelLogUnavailableException()
    {
    }

    public KernelLogUnavailableException(string message)
        : base(message)
    {
    }

    public KernelLogUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
