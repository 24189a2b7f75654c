namespace FaultAgent.HostProcesses;

/// <summary>A host tool could not do its work (each adapter answers each kind with its own status).</summary>
public abstract class HostCommandException : Exception
{
    protected HostCommandException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
