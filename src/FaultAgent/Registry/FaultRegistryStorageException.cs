namespace FaultAgent.Registry;

/// <summary>The state directory cannot be written: nothing was injected.</summary>
public sealed class FaultRegistryStorageException : Exception
{
    public FaultRegistryStorageException()
    {
    }

    public FaultRegistryStorageException(string message)
        : base(message)
    {
    }

    public FaultRegistryStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
