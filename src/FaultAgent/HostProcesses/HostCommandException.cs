namespace FaultAgent.HostProcesses;

/// <summary>A host tool could not do its work (the gRPC adapter answers each kind with its own status: <see cref="Grpc.FaultStatusCodes"/>).</summary>
public abstract class HostCommandException : Exception
{
    protected HostCommandException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
