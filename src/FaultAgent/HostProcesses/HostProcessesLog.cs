using Microsoft.Extensions.Logging;

namespace FaultAgent.HostProcesses;

/// <summary>Log messages of the host command runner (event ids 4100-4199).</summary>
internal static partial class HostProcessesLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "Running {Command} in the namespaces of process {TargetPid}")]
    public static partial void Starting(ILogger logger, string command, int targetPid);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "{Command} exited with code {ExitCode} after {ElapsedMs} ms")]
    public static partial void Exited(ILogger logger, string command, int exitCode, long elapsedMs);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "{Command} ran past {TimeoutSeconds} s; killing its process tree")]
    public static partial void TimedOut(ILogger logger, string command, double timeoutSeconds);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "{Command} was cancelled by its caller; killing its process tree")]
    public static partial void Cancelled(ILogger logger, string command);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Information, Message = "{Command} is still running as the agent stops; killing its process tree")]
    public static partial void Stopping(ILogger logger, string command);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "Process {Pid} ({Command}) did not die within {WaitSeconds} s of SIGKILL (uninterruptible sleep in the driver?); abandoning it")]
    public static partial void Unkillable(ILogger logger, int pid, string command, double waitSeconds);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Killing the process tree of {Pid} ({Command}) failed")]
    public static partial void KillFailed(ILogger logger, Exception exception, int pid, string command);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "{Command} exited but something it started still holds its output open; output capture stopped")]
    public static partial void OutputHeldOpen(ILogger logger, string command);
}
