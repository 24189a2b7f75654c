using FaultAgent.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Registry;

/// <summary>
/// The node's registry of injected faults: their state, persisted in <see cref="FaultJournal"/>. It writes nothing to the
/// kernel log: injections (<see cref="Injection.InjectionPipeline"/>) hold an <see cref="InjectionBatch"/> while they
/// journal their pending entries (one fsync for the batch), write and record. Every change (injection, clear, update, expiry, end-all) runs under
/// one write gate, so identical requests that arrive together write once.
/// </summary>
/// <remarks>
/// Two locks, two words: the write <em>gate</em> (<c>_gate</c>, async) orders changes and is held across journal writes;
/// the <em>state lock</em> (<c>_stateLock</c>) guards the in-memory maps for the instant of a read or an update. A method
/// named <c>…Locked</c> expects its caller to hold the state lock; the others take it themselves. Startup, changes and
/// injection batches are in FaultRegistry.Startup.cs, FaultRegistry.Changes.cs and FaultRegistry.Injections.cs, the
/// journal's compaction in FaultRegistry.Compaction.cs.
/// </remarks>
public sealed partial class FaultRegistry : IDisposable
{
    private readonly IPendingInjectionResolver _pendingResolver;
    private readonly IRecoveredFaultsListener? _recoveredListener;
    private readonly IBootIdSource _bootIdSource;
    private readonly TimeProvider _timeProvider;
    private readonly FaultRegistryOptions _options;
    private readonly ILogger<FaultRegistry> _logger;
    private readonly FaultJournal _journal;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _stateLock = new();
    private readonly FaultRecordMap _faults = new();
    private readonly FaultRecordSlots _faultsByIdempotencyKey = new(FaultRecordSlotKey.IdempotencyKey);
    private readonly Dictionary<string, FaultJournalEntry> _unresolvedPending = new(StringComparer.Ordinal);
    private readonly FaultRegistryIndex _index = new();

    // Pending entries in the journal file that were not written to the kernel log and whose abandon could not be saved
    // (under the gate): the next batch's JournalPendingBatch saves their abandons before its own pending entries.
    private readonly List<string> _unsavedAbandons = [];

    // Pending entries this start could not resolve and whose records have no upper bound yet (under the gate): the first
    // batch's JournalPendingBatch saves them again bounded by its FromSequence, before its own pending entries.
    private readonly List<FaultJournalEntry> _unboundedPending = [];

    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _changed = new();
    private string _bootId = "";
    private bool _batchChanged;
    private bool _batchWakesPasses;

    public FaultRegistry(
        IPendingInjectionResolver pendingResolver,
        IBootIdSource bootIdSource,
        TimeProvider timeProvider,
        IOptions<AgentOptions> agentOptions,
        IOptions<FaultRegistryOptions> options,
        ILoggerFactory loggerFactory,
        IRecoveredFaultsListener? recoveredListener = null)
    {
        _pendingResolver = pendingResolver;
        _recoveredListener = recoveredListener;
        _bootIdSource = bootIdSource;
        _timeProvider = timeProvider;
        _options = options.Value;
        _logger = loggerFactory.CreateLogger<FaultRegistry>();
        _journal = new FaultJournal(agentOptions.Value.StateDirectory, loggerFactory.CreateLogger<FaultJournal>());
    }

    /// <summary>
    /// Cancelled whenever a fault ends, is replaced, or is recorded with something a background pass acts on (an expiry,
    /// DCGM writes, a state other than active), so a waiter can recompute the next expiry, prune or restore. An injection
    /// recorded active, without an expiry and without DCGM writes does not cancel it: no pass has anything to do for it,
    /// and the waiters' wake-ups (a linked token, an exception and a pass each) ran on the batch leader's thread before
    /// its caller was answered (#14, BENCHMARKS.md "one injection's non-disk time"). An emergency stop engaged while such
    /// a fault is being recorded still ends it: its end-all waits for the injection's gate.
    /// </summary>
    public CancellationToken ChangeToken
    {
        get
        {
            lock (_stateLock)
            {
                return _changed.Token;
            }
        }
    }

    public bool IsInitialized => _initialized.Task.IsCompletedSuccessfully;

    /// <summary>Open faults now (active, or written with an unknown or partial outcome): a metric, and what the active-fault limit counts.</summary>
    public int ActiveCount
    {
        get
        {
            lock (_stateLock)
            {
                return _index.OpenCount;
            }
        }
    }

    /// <summary>Records kept now, active and ended (a metric).</summary>
    public int RecordCount
    {
        get
        {
            lock (_stateLock)
            {
                return _faults.Count;
            }
        }
    }

    public string JournalPath => _journal.FilePath;

    /// <summary>The earliest expiry among active faults.</summary>
    public DateTimeOffset? NextExpiry
    {
        get
        {
            lock (_stateLock)
            {
                return OpenFaultsLocked().NextExpiry;
            }
        }
    }

    public async ValueTask<FaultRecord> GetAsync(string faultId, CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        lock (_stateLock)
        {
            return _faults.TryGetValue(faultId, out var fault)
                ? fault
                : throw new FaultNotFoundException($"No fault '{faultId}' is recorded on this node.") { FaultId = faultId };
        }
    }

    /// <summary>Every recorded fault (or only the active ones), oldest first.</summary>
    public async ValueTask<IReadOnlyList<FaultRecord>> ListAsync(bool activeOnly, CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        lock (_stateLock)
        {
            return [.. OldestFirst(_faults.Values.Where(f => !activeOnly || f.State.IsOpen()))];
        }
    }

    /// <summary>The faults holding DCGM field writes (open or ended), oldest first: what the DCGM restore pass looks through.</summary>
    public async ValueTask<IReadOnlyList<FaultRecord>> ListWithDcgmWritesAsync(CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        lock (_stateLock)
        {
            if (_index.WithDcgmWrites.Count == 0)
            {
                return [];
            }

            return [.. OldestFirst(_index.WithDcgmWrites.Select(id => _faults[id]))];
        }
    }

    /// <summary>The open faults now (the node's limits weigh them; an injection batch sees them fixed in its <see cref="InjectionBatch"/>).</summary>
    public async ValueTask<OpenFaults> GetOpenFaultsAsync(CancellationToken cancellationToken)
    {
        await WaitInitializedAsync(cancellationToken).ConfigureAwait(false);
        lock (_stateLock)
        {
            return OpenFaultsLocked();
        }
    }

    public void Dispose()
    {
        StopCompaction();
        _journal.Dispose();
        _gate.Dispose();
        _changed.Dispose();
    }

    private Task WaitInitializedAsync(CancellationToken cancellationToken) => _initialized.Task.WaitAsync(cancellationToken);

    /// <summary>The order every listing answers in: injected first, then the kernel's sequence of the first record, then the id.</summary>
    private static IOrderedEnumerable<FaultRecord> OldestFirst(IEnumerable<FaultRecord> faults) =>
        faults
            .OrderBy(f => f.InjectedAt)
            .ThenBy(f => f.HeldRecords.FirstSequence)
            .ThenBy(f => f.FaultId, StringComparer.Ordinal);

    private OpenFaults OpenFaultsLocked() => new(_index.OpenCount, _index.NextExpiry(_faults.Values));

    private FaultRecord GetOrThrow(string faultId)
    {
        lock (_stateLock)
        {
            return _faults.TryGetValue(faultId, out var found)
                ? found
                : throw new FaultNotFoundException($"No fault '{faultId}' is recorded on this node.") { FaultId = faultId };
        }
    }

    private void Add(FaultRecord fault)
    {
        lock (_stateLock)
        {
            AddLocked(fault);
        }
    }

    private void AddLocked(FaultRecord fault)
    {
        SetLocked(fault);
        if (!fault.HeldIdempotencyKey.IsEmpty)
        {
            _faultsByIdempotencyKey.Set(fault);
        }
    }

    /// <summary>
    /// Puts <paramref name="fault"/> in the map in place of its id's record (every change of the map goes through here or
    /// <see cref="RemoveLocked"/>: the index follows, and the key index holds the record that replaced the one it held).
    /// </summary>
    private void SetLocked(FaultRecord fault)
    {
        fault.CompactIdempotencyKey();
        _faults.Set(fault, out var before);
        _index.Replaced(before, fault);
        if (before is not null && !before.HeldIdempotencyKey.IsEmpty
            && _faultsByIdempotencyKey.TryGetValue(before.HeldIdempotencyKey, out var keyed) && ReferenceEquals(keyed, before))
        {
            // The key names this id's record: the new one when it has the same key (every change of a recorded fault
            // keeps it), else no record (an update that changed the key: none does).
            if (before.HeldIdempotencyKey.Equals(fault.HeldIdempotencyKey))
            {
                _faultsByIdempotencyKey.Set(fault);
            }
            else
            {
                _faultsByIdempotencyKey.Remove(before.HeldIdempotencyKey, out _);
            }
        }
    }

    private void RemoveLocked(string faultId)
    {
        if (!_faults.Remove(faultId, out var removed))
        {
            return;
        }

        _index.Replaced(removed, null);
        if (!removed.HeldIdempotencyKey.IsEmpty)
        {
            _faultsByIdempotencyKey.Remove(removed.HeldIdempotencyKey, out _);
        }
    }

    private void AppendOrThrow(FaultJournalEntry entry)
    {
        try
        {
            _journal.Append(entry, flushToDisk: false);
        }
        catch (IOException e)
        {
            throw new FaultRegistryStorageException($"The fault journal {_journal.FilePath} cannot be written: {e.Message}", e);
        }
    }

    private void SignalChange()
    {
        CancellationTokenSource previous;
        lock (_stateLock)
        {
            previous = _changed;
            _changed = new CancellationTokenSource();
        }

        // Not disposed: a waiter may still be linking to its token; it holds no timer.
        previous.Cancel();
    }
}
