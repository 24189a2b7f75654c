namespace FaultAgent.HostProcesses;

/// <summary>How a host command ended: exit code and the (bounded) output it printed.</summary>
public sealed record HostCommandResult(
    int ExitCode,
    string StandardOutput,
    bool StandardOutputTruncated,
    string StandardError,
    bool StandardErrorTruncated,
    TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;
}
