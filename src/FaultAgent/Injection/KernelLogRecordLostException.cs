namespace FaultAgent.Injection;

/// <summary>
/// write() reported success but the first record never appeared in the kernel log: every record from the log's end just
/// before the write() on was read, none missed, and none was it (the kernel dropped it: printk_devkmsg rate limit). The
/// kernel stores a /dev/kmsg record inside write() or never, so no reader of the log (dmesg, journald, a monitor) saw it;
/// the pending journal entry is marked abandoned and nothing is recorded. gRPC UNAVAILABLE with ErrorInfo
/// <c>KERNEL_LOG_RECORD_LOST</c>, HTTP 503.
/// </summary>
public sealed class KernelLogRecordLostException : Exception
{
    public KernelLogRecordLostException()
    {
    }

    public KernelLogRecordLostException(string message)
        : base(message)
    {
    }

    public KernelLogRecordLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The DCGM fields (ids) this injection wrote (each read back) before the kernel log dropped its record, taken back
    /// since: DCGM showed them meanwhile, so this refusal is NOT "nothing written". Empty for an injection without DCGM values.
    /// </summary>
    public IReadOnlyList<int> DcgmFieldsTakenBack { get; private init; } = [];

    /// <summary>This refusal (same message, this as the inner exception) for an injection whose DCGM values <paramref name="fieldIds"/> were written before it and taken back.</summary>
    public KernelLogRecordLostException AfterDcgmWrites(IReadOnlyList<int> fieldIds) => new(Message, this) { DcgmFieldsTakenBack = fieldIds };
}
