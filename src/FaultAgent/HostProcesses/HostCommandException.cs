using Grpc.Core;

namespace FaultAgent.HostProcesses;

/// <summary>A host tool could not do its work. <see cref="StatusCode"/> is the gRPC status the agent answers with.</summary>
public abstract class HostCommandException : Exception
{
    protected HostCommandException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The gRPC status code a caller should see for this failure.</summary>
    public abstract StatusCode StatusCode { get; }
}
