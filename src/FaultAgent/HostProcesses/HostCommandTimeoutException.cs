namespace FaultAgent.HostProcesses;

/// <summary>The program ran past its timeout; its whole process tree was killed.</summary>
public sealed class HostCommandTimeoutException : HostCommandException
{
    public HostCommandTimeoutException(string command, TimeSpan timeout)
        : base($"'{command}' did not finish within {timeout.TotalSeconds:0.###} s and was killed")
    {
        Command = command;
        Timeout = timeout;
    }

    public string Command { get; }

    public TimeSpan Timeout { get; }
}
