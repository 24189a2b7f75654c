namespace FaultApi.Tests.Drills;

/// <summary>A stand-in monitor lost kernel-log records (the ring overwrote them before its reader read them) that its reaction may depend on: the message names them.</summary>
public sealed class KernelLogGapException : Exception
{
    public KernelLogGapException()
    {
    }

    public KernelLogGapException(string message)
        : base(message)
    {
    }

    public KernelLogGapException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
