namespace FaultAgent.HostProcesses;

/// <summary>The program (or nsenter itself) does not exist or cannot be executed: the node is not set up for it.</summary>
public sealed class HostToolNotFoundException : HostCommandException
{
    public HostToolNotFoundException(string program, string detail, Exception? innerException = null)
        : base($"'{program}' cannot be executed on the host: {detail}", innerException)
    {
        Program = program;
    }

    public string Program { get; }
}
