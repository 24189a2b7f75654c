namespace FaultApi.EmergencyStop;

/// <summary>The stop state could not be read or written (HTTP 503).</summary>
public sealed class StopStateStoreException : Exception
{
    public StopStateStoreException()
    {
    }

    public StopStateStoreException(string message)
        : base(message)
    {
    }

    public StopStateStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
