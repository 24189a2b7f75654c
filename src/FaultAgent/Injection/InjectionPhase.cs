namespace FaultAgent.Injection;

/// <summary>The phases of one injection that <see cref="InjectionProfile"/> times (benchmark-only).</summary>
public enum InjectionPhase
{
    /// <summary>Request checks (fields, text, surfaces) and the request fingerprint.</summary>
    Validation,

    /// <summary>The registry's lookup of an identical earlier request (idempotency).</summary>
    ReplayLookup,

    /// <summary>GPU discovery: finding the GPU (procfs reads, or the cache).</summary>
    Discovery,

    /// <summary>Composing the records: the driver preamble ledger and the line builder.</summary>
    LineBuild,

    /// <summary>The registry's gate, the emergency-stop guard and the admission limits.</summary>
    RegistryGate,

    /// <summary>The write() of the journal's <c>pending</c> entry (serialization included).</summary>
    JournalAppend,

    /// <summary>fsync of the journal.</summary>
    Fsync,

    /// <summary>
    /// Every crossing to the namespace thread and back that an injection waits for: queue, wake-up and the caller's
    /// resumption. Since the kernel log's descriptors are used from the caller's thread, only a call that finds too few
    /// descriptors open crosses.
    /// </summary>
    NamespaceHop,

    /// <summary>
    /// Opening /dev/kmsg descriptors on the namespace thread when a write call finds too few ready (the crossing's queue
    /// and hand-back are <see cref="NamespaceHop"/>); writers opened ahead in the background are not counted.
    /// </summary>
    KmsgOpen,

    /// <summary>Reading the kernel log forward to its end before a write (the next sequence number).</summary>
    KmsgDrain,

    /// <summary>The write() of each record to <c>/dev/kmsg</c> (a fresh descriptor from the stock every 8 records).</summary>
    KmsgWrite,

    /// <summary>Reading each written record back as ours.</summary>
    ReadBack,

    /// <summary>The <c>recorded</c> entry's write() and the registry's bookkeeping after the kernel write.</summary>
    Record,

    /// <summary>Mapping the result to the gRPC response message.</summary>
    Response,

    /// <summary>
    /// Starting a compaction of the journal when the batch ends, when it grew large (<c>CompactIfLarge</c>: the registry's
    /// records taken, a background task started; until #14 the whole rewrite — write beside, fsync, rename, fsync the
    /// directory — ran here); since the agenthot pass also a durable append's wait for the directory's fsync of a compaction
    /// that renamed moments before (that fsync runs outside the gate); 0 for an injection with neither.
    /// </summary>
    Compaction,
}
