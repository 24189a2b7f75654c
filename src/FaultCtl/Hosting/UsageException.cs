namespace FaultCtl.Hosting;

/// <summary>A command line that parses but asks for something contradictory (exit code <see cref="ExitCodes.Usage"/>).</summary>
public sealed class UsageException : Exception
{
    /// <summary>A usage error with no message.</summary>
    public UsageException()
    {
    }

    /// <summary>A usage error saying what is wrong.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>A usage error caused by <paramref name="innerException"/>.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
