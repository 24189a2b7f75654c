namespace FaultAgent.Registry;

/// <summary>Another agent process holds the state directory's lock: this one must not start.</summary>
public sealed class StateDirectoryLockedException : Exception
{
    public StateDirectoryLockedException()
    {
    }

    public StateDirectoryLockedException(string message)
        : base(message)
    {
    }

    public StateDirectoryLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What the holder wrote in the lock file (pid, node, host, start time).</summary>
    public string Holder { get; init; } = "";
}
