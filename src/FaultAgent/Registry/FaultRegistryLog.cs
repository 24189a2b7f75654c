using Microsoft.Extensions.Logging;

namespace FaultAgent.Registry;

internal static partial class FaultRegistryLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Fault registry loaded from {Path}: {Active} active, {Ended} ended, {Entries} journal entries read")]
    public static partial void Loaded(ILogger logger, string path, int active, int ended, int entries);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Fault journal {Path} was damaged ({Damaged} unreadable lines, torn tail: {TornTail}); kept every readable entry and rewrote the file")]
    public static partial void Repaired(ILogger logger, string path, int damaged, bool tornTail);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Pending fault {FaultId} was not found in the kernel log from sequence {Sequence}: the write never happened, dropped")]
    public static partial void PendingDropped(ILogger logger, string faultId, ulong sequence);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Pending fault {FaultId} could not be checked against the kernel log; kept pending until the next start")]
    public static partial void PendingUnresolved(ILogger logger, string faultId, Exception exception);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Fault {FaultId} ended: {State} ({Reason})")]
    public static partial void Ended(ILogger logger, string faultId, FaultState state, string reason);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Pruned {Count} ended fault records")]
    public static partial void Pruned(ILogger logger, int count);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Fault {FaultId} was written to the kernel log but its journal entry could not be saved; its pending entry will resolve it on the next start")]
    public static partial void RecordNotSaved(ILogger logger, string faultId, Exception exception);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Error, Message = "Fault {FaultId} was not written to the kernel log and its abandon could not be saved; the next injection saves it before its own pending entries")]
    public static partial void AbandonNotSaved(ILogger logger, string faultId, Exception exception);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Pending fault {FaultId} was injected before a reboot (boot id {BootId}); dropped: the kernel log it was written to is gone")]
    public static partial void PendingBeforeReboot(ILogger logger, string faultId, string bootId);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Pending fault {FaultId} resolved against the kernel log: {State}, {Found} of {Planned} records found as ours")]
    public static partial void PendingResolved(ILogger logger, string faultId, FaultState state, int found, int planned);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Information, Message = "Fault journal {Path} compacted in the background: {Entries} records written in {WriteMilliseconds:0.0} ms while injections went on, {Carried} entries appended meanwhile carried over; the write gate held {SwapMilliseconds:0.00} ms for the swap, the directory's fsync and the old file's close after it {SyncMilliseconds:0.00} ms")]
    public static partial void Compacted(ILogger logger, string path, int entries, int carried, double writeMilliseconds, double swapMilliseconds, double syncMilliseconds);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Warning, Message = "Fault journal {Path} could not be compacted; it stays whole and is compacted after a later change")]
    public static partial void CompactionFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Error, Message = "Fault expiry pass failed; retrying")]
    public static partial void ExpiryFailed(ILogger logger, Exception exception);
}
