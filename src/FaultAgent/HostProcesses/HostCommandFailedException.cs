namespace FaultAgent.HostProcesses;

/// <summary>The program ran but failed (non-zero exit code) or printed nothing usable: the GPU or driver is not answering.</summary>
public sealed class HostCommandFailedException : HostCommandException
{
    public HostCommandFailedException(string command, int? exitCode, string detail)
        : base(exitCode is { } code ? $"'{command}' exited with code {code}: {detail}" : $"'{command}' failed: {detail}")
    {
        Command = command;
        ExitCode = exitCode;
    }

    public string Command { get; }

    public int? ExitCode { get; }
}
