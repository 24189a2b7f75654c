namespace FaultAgent.Registry;

/// <summary>
/// One injection's hold on the registry's write gate (<see cref="FaultRegistry.BeginInjectionAsync"/>), from its replay
/// check to its record: while it is held no other injection, clear, expiry or emergency stop changes the registry, so
/// identical requests that arrive together write once and <see cref="OpenFaults"/> cannot change before the write.
/// Disposing it releases the gate.
/// </summary>
public sealed class InjectionSlot : IDisposable
{
    private readonly FaultRegistry _registry;
    private readonly FaultRecord _planned;
    private bool _released;

    internal InjectionSlot(FaultRegistry registry, FaultRecord planned, FaultRecord? replay, OpenFaults openFaults)
    {
        _registry = registry;
        _planned = planned;
        Replay = replay;
        OpenFaults = openFaults;
    }

    /// <summary>The stored result of an earlier identical request; then nothing is to be written.</summary>
    public FaultRecord? Replay { get; }

    /// <summary>The open faults now, fixed while the slot is held.</summary>
    public OpenFaults OpenFaults { get; }

    /// <summary>
    /// Saves (fsync'd) the pending entry that lets a restart find this injection's records from
    /// <paramref name="fromSequence"/> on, and returns the fault as it stands while being written (this boot, active).
    /// </summary>
    /// <exception cref="FaultRegistryStorageException">The journal cannot be written; nothing may be injected.</exception>
    public FaultRecord JournalPending(ulong fromSequence) => _registry.JournalPending(_planned, fromSequence);

    /// <summary>
    /// Records the written fault (verified, or with an incomplete outcome) in the registry and its journal;
    /// <paramref name="flushToDisk"/> makes the journal entry durable before returning.
    /// </summary>
    public void Record(FaultRecord written, bool flushToDisk) => _registry.RecordWritten(written, flushToDisk);

    /// <summary>Marks the pending entry abandoned: the write failed with nothing of it in the kernel log.</summary>
    public void Abandon() => _registry.AbandonPending(_planned.FaultId);

    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            _registry.ReleaseWriteGate();
        }
    }
}
