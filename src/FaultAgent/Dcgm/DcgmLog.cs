using Microsoft.Extensions.Logging;

namespace FaultAgent.Dcgm;

/// <summary>Log messages of the DCGM surface (event ids 4600-4699).</summary>
internal static partial class DcgmLog
{
    [LoggerMessage(EventId = 4600, Level = LogLevel.Information, Message = "Fault {FaultId}: DCGM field {FieldId} of DCGM GPU {DcgmGpuId} set to {Value} and read back (it was {ValueBefore})")]
    public static partial void Written(ILogger logger, string faultId, int fieldId, int dcgmGpuId, long value, string valueBefore);

    [LoggerMessage(EventId = 4601, Level = LogLevel.Information, Message = "Fault {FaultId}: DCGM field {FieldId} of DCGM GPU {DcgmGpuId} restored to {Value} and read back")]
    public static partial void Restored(ILogger logger, string faultId, int fieldId, int dcgmGpuId, long value);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Error, Message = "Fault {FaultId}: taking back DCGM field {FieldId} of the GPU at {PciBusId} failed ({Detail}); the restore pass retries it")]
    public static partial void RollBackFailed(ILogger logger, string faultId, int fieldId, string pciBusId, string detail);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Warning, Message = "Fault {FaultId}: restoring DCGM field {FieldId} of the GPU at {PciBusId} failed ({Detail}); retrying in {RetrySeconds} s")]
    public static partial void RestoreFailed(ILogger logger, string faultId, int fieldId, string pciBusId, string detail, double retrySeconds);

    [LoggerMessage(EventId = 4604, Level = LogLevel.Warning, Message = "dcgmi discovery -l exited with code {ExitCode} after listing {GpuCount} GPUs ({Detail}); using the GPUs it listed")]
    public static partial void DiscoveryExitedNonZero(ILogger logger, int exitCode, int gpuCount, string detail);

    [LoggerMessage(EventId = 4605, Level = LogLevel.Warning, Message = "The DCGM write ledger {Path} could not record a settled write; it is settled again on the next restore pass")]
    public static partial void LedgerNotWritten(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 4606, Level = LogLevel.Warning, Message = "The DCGM write ledger {Path} has an unreadable line {Line}; skipped")]
    public static partial void LedgerLineSkipped(ILogger logger, string path, int line);

    [LoggerMessage(EventId = 4607, Level = LogLevel.Warning, Message = "Fault {FaultId} is not recorded, but the DCGM write ledger holds its write of field {FieldId} on the GPU at {PciBusId}; taking it back")]
    public static partial void OrphanWrite(ILogger logger, string faultId, int fieldId, string pciBusId);

    [LoggerMessage(EventId = 4608, Level = LogLevel.Error, Message = "The DCGM restore pass failed; retrying in {RetrySeconds} s")]
    public static partial void RestorePassFailed(ILogger logger, Exception exception, double retrySeconds);

    [LoggerMessage(EventId = 4609, Level = LogLevel.Information, Message = "Fault {FaultId}'s DCGM value was taken back by fault {By}'s write-back (both ended, one cell, one restore value); not written again")]
    public static partial void Covered(ILogger logger, string faultId, string by);
}
