using FaultAgent.Registry;
using Microsoft.Extensions.Logging;

namespace FaultAgent.Injection;

internal static partial class InjectionLog
{
    [LoggerMessage(EventId = 1350, Level = LogLevel.Warning, Message = "The GPU preamble state {Path} could not be kept: {Reason}")]
    public static partial void PreambleNotSaved(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1351, Level = LogLevel.Information, Message = "The fault journal shows the driver preamble of GPU {XidPci} written in this boot, not yet kept in {Path} (the agent stopped before it saved it): not written again")]
    public static partial void PreambleRecovered(ILogger logger, string xidPci, string path);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Fault {FaultId} injected on GPU {GpuId} ({FaultType}) by {Caller}, first record at sequence {Sequence}")]
    public static partial void Injected(ILogger logger, string faultId, int gpuId, string faultType, string caller, ulong sequence);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Kernel-log write for fault {FaultId} failed; nothing recorded")]
    public static partial void WriteFailed(ILogger logger, string faultId, Exception exception);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Error, Message = "Kernel-log write for fault {FaultId} did not complete: recorded as {State} with {Landed} of {Planned} records proven")]
    public static partial void WriteIncomplete(ILogger logger, string faultId, FaultState state, int landed, int planned, Exception exception);
}
