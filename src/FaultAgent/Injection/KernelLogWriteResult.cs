namespace FaultAgent.Injection;

/// <summary>
/// One member's outcome in a batch write (<see cref="IKernelLog.WriteVerifiedBatchAsync"/>): the records the kernel holds
/// for its lines (every one read back as ours), or the error that stopped it — what
/// <see cref="IKernelLog.WriteVerifiedAsync"/> would have thrown for that member alone.
/// </summary>
/// <param name="Records">The member's records in line order; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the member is not fully written: <see cref="KernelLogWriteIncompleteException"/> (some records
/// landed, or one may have), <see cref="KernelLogRecordLostException"/> or <see cref="KernelLogUnavailableException"/>
/// (nothing of it landed), or a refusal of its lines before anything of it was written.</param>
public readonly record struct KernelLogWriteResult(IReadOnlyList<KernelLogRecord>? Records, Exception? Error);
