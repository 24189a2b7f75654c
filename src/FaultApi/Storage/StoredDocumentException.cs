namespace FaultApi.Storage;

/// <summary>A stored document (a ConfigMap, a file) could not be read or written.</summary>
public sealed class StoredDocumentException : Exception
{
    public StoredDocumentException()
    {
    }

    public StoredDocumentException(string message)
        : base(message)
    {
    }

    public StoredDocumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
