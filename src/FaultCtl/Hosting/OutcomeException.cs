namespace FaultCtl.Hosting;

/// <summary>The API did its part but the outcome is a failure (exit code <see cref="ExitCodes.Failed"/>); the message is printed on stderr.</summary>
public sealed class OutcomeException : Exception
{
    /// <summary>A failed outcome with no message.</summary>
    public OutcomeException()
    {
    }

    /// <summary>A failed outcome saying what failed.</summary>
    public OutcomeException(string message)
        : base(message)
    {
    }

    /// <summary>A failed outcome caused by <paramref name="innerException"/>.</summary>
    public OutcomeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
