namespace FaultAgent.HostProcesses;

/// <summary>The agent is stopping: the program's whole process tree was killed (or it was never started).</summary>
public sealed class HostCommandStoppedException : HostCommandException
{
    public HostCommandStoppedException(string command)
        : base($"'{command}' was ended: the agent is stopping")
    {
        Command = command;
    }

    public string Command { get; }
}
