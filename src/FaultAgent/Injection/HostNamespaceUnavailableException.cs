namespace FaultAgent.Injection;

/// <summary>The target process's mount namespace cannot be entered (no such process, no permission, setns failed).</summary>
public sealed class HostNamespaceUnavailableException : Exception
{
    public HostNamespaceUnavailableException()
    {
    }

    public HostNamespaceUnavailableException(string message)
        : base(message)
    {
    }

    public HostNamespaceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
