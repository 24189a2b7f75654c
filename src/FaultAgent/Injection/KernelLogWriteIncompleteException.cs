namespace FaultAgent.Injection;

/// <summary>
/// A write that did not end as "every record landed" nor as "nothing landed": some records are proven in the kernel log
/// (<see cref="Landed"/>) and the next one (<see cref="FailedIndex"/>) either provably did not land, after which no
/// further line was written (<see cref="OutcomeUnknown"/> false: a partial write), or may have landed but cannot be
/// proven (<see cref="OutcomeUnknown"/> true: its record left the ring before it was read back, or the read-back failed
/// after the write() succeeded). Never "nothing was written".
/// </summary>
public sealed class KernelLogWriteIncompleteException : Exception
{
    public KernelLogWriteIncompleteException()
    {
    }

    public KernelLogWriteIncompleteException(string message)
        : base(message)
    {
    }

    public KernelLogWriteIncompleteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KernelLogWriteIncompleteException(string message, IReadOnlyList<KernelLogRecord> landed, int failedIndex, bool outcomeUnknown, Exception? innerException = null)
        : base(message, innerException)
    {
        Landed = landed;
        FailedIndex = failedIndex;
        OutcomeUnknown = outcomeUnknown;
    }

    /// <summary>The records proven in the kernel log, in line order (the first <see cref="FailedIndex"/> lines).</summary>
    public IReadOnlyList<KernelLogRecord> Landed { get; } = [];

    /// <summary>The line that did not (provably) land; later lines were not written.</summary>
    public int FailedIndex { get; }

    /// <summary>True when the failed line may be in the kernel log.</summary>
    public bool OutcomeUnknown { get; }
}
