using Microsoft.Extensions.Logging;

namespace FaultAgent.Telemetry;

/// <summary>Log messages of GPU telemetry (event ids 4200-4299).</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning, Message = "nvidia-smi does not know the query field {Field}; asking without it from now on")]
    public static partial void FieldNotSupported(ILogger logger, string field);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "nvidia-smi exited with code {ExitCode} but reported {GpuCount} GPUs; serving them. Skipped: {Skipped}")]
    public static partial void PartialResult(ILogger logger, int exitCode, int gpuCount, string skipped);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "nvidia-smi printed lines that are not GPU rows: {Skipped}")]
    public static partial void SkippedLines(ILogger logger, string skipped);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "nvidia-smi pmon failed with code {ExitCode}: {Detail}")]
    public static partial void PmonFailed(ILogger logger, int exitCode, string detail);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "The board serial and PCI id of the GPU at {PciBusId} are unknown: {Reason}")]
    public static partial void BoardInfoUnavailable(ILogger logger, string pciBusId, string reason);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "The board serials of the GPUs whose preamble is due could not be looked up ahead: {Reason}")]
    public static partial void LookAheadFailed(ILogger logger, string reason);
}
