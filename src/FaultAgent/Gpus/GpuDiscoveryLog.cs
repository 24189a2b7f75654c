using Microsoft.Extensions.Logging;

namespace FaultAgent.Gpus;

internal static partial class GpuDiscoveryLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "GPU discovery under {ProcRoot}: {GpuCount} GPUs, {SwitchCount} NVSwitches, {ProblemCount} problems")]
    public static partial void Discovered(ILogger logger, string procRoot, int gpuCount, int switchCount, int problemCount);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "GPU discovery problem at {Path}: {Problem}")]
    public static partial void Problem(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "GPU discovery read again: {Reason}")]
    public static partial void Refreshing(ILogger logger, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "The GPU inventory could not be read at start (the first injection reads it again): {Reason}")]
    public static partial void StartReadFailed(ILogger logger, string reason);
}
