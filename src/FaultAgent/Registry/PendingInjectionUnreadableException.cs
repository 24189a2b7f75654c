namespace FaultAgent.Registry;

/// <summary>The records of a pending injection cannot be looked for now (the kernel log cannot be read); it stays pending until the next start.</summary>
public sealed class PendingInjectionUnreadableException : Exception
{
    public PendingInjectionUnreadableException()
    {
    }

    public PendingInjectionUnreadableException(string message)
        : base(message)
    {
    }

    public PendingInjectionUnreadableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
