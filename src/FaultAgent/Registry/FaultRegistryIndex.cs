namespace FaultAgent.Registry;

/// <summary>
/// What the registry is asked about all of its records on every injection batch and every change, kept up to date as
/// records are added, replaced and removed instead of counted over every record each time (#14: in the throughput
/// phase's `perf` profile, with ~10,000 faults left active, scanning and sorting the records for the open count and next
/// expiry of each batch, the expiry pass and the DCGM restore pass of each change took half of the agent's CPU):
/// the open faults' count, earliest expiry and latest timed injection, the ended records' count and earliest end, the faults holding DCGM writes.
/// The registry reports every change of its map here under its state lock (<see cref="Replaced"/>). An earliest value
/// whose record ended or went away is recomputed from the records when it is next asked for (one scan per such change,
/// never per question).
/// </summary>
internal sealed class FaultRegistryIndex
{
    private readonly HashSet<string> _withDcgmWrites = new(StringComparer.Ordinal);
    private DateTimeOffset? _nextExpiry;
    private bool _nextExpiryStale;
    private DateTimeOffset? _oldestEnd;
    private bool _oldestEndStale;
    private DateTimeOffset? _latestTimedInjection;
    private bool _latestTimedInjectionStale;

    /// <summary>Open faults (active, outcome unknown, partially written).</summary>
    public int OpenCount { get; private set; }

    /// <summary>Ended records (cleared, expired, resolved by a reboot) still kept.</summary>
    public int EndedCount { get; private set; }

    /// <summary>The ids of the records holding at least one DCGM field write.</summary>
    public IReadOnlyCollection<string> WithDcgmWrites => _withDcgmWrites;

    /// <summary>One record of the map changed: <paramref name="before"/> (null: none) became <paramref name="after"/> (null: removed).</summary>
    public void Replaced(FaultRecord? before, FaultRecord? after)
    {
        if (before is not null)
        {
            Remove(before);
        }

        if (after is not null)
        {
            Add(after);
        }
    }

    /// <summary>The earliest expiry among open faults; <paramref name="records"/> is the registry's map, scanned only when that record changed.</summary>
    public DateTimeOffset? NextExpiry(IReadOnlyCollection<FaultRecord> records)
    {
        if (_nextExpiryStale)
        {
            DateTimeOffset? earliest = null;
            foreach (var fault in records)
            {
                if (fault.State.IsOpen() && fault.ExpiresAt is { } expiresAt && (earliest is null || expiresAt < earliest))
                {
                    earliest = expiresAt;
                }
            }

            _nextExpiry = earliest;
            _nextExpiryStale = false;
        }

        return _nextExpiry;
    }

    /// <summary>
    /// The latest injection among open faults that have an expiry; <paramref name="records"/> as for <see cref="NextExpiry"/>.
    /// Later than the clock only when the clock went back since (a node's clock stepped back, or a journal written under a
    /// clock that was ahead): such a fault's elapsed time cannot be counted.
    /// </summary>
    public DateTimeOffset? LatestTimedInjection(IReadOnlyCollection<FaultRecord> records)
    {
        if (_latestTimedInjectionStale)
        {
            DateTimeOffset? latest = null;
            foreach (var fault in records)
            {
                if (fault.State.IsOpen() && fault.ExpiresAt is not null && (latest is null || fault.InjectedAt > latest))
                {
                    latest = fault.InjectedAt;
                }
            }

            _latestTimedInjection = latest;
            _latestTimedInjectionStale = false;
        }

        return _latestTimedInjection;
    }

    /// <summary>The earliest end among ended records that carry one; <paramref name="records"/> as for <see cref="NextExpiry"/>.</summary>
    public DateTimeOffset? OldestEnd(IReadOnlyCollection<FaultRecord> records)
    {
        if (_oldestEndStale)
        {
            DateTimeOffset? oldest = null;
            foreach (var fault in records)
            {
                if (!fault.State.IsOpen() && fault.EndedAt is { } endedAt && (oldest is null || endedAt < oldest))
                {
                    oldest = endedAt;
                }
            }

            _oldestEnd = oldest;
            _oldestEndStale = false;
        }

        return _oldestEnd;
    }

    private void Add(FaultRecord fault)
    {
        if (fault.State.IsOpen())
        {
            OpenCount++;
            if (!_nextExpiryStale && fault.ExpiresAt is { } expiresAt && (_nextExpiry is null || expiresAt < _nextExpiry))
            {
                _nextExpiry = expiresAt;
            }

            if (!_latestTimedInjectionStale && fault.ExpiresAt is not null && (_latestTimedInjection is null || fault.InjectedAt > _latestTimedInjection))
            {
                _latestTimedInjection = fault.InjectedAt;
            }
        }
        else
        {
            EndedCount++;
            if (!_oldestEndStale && fault.EndedAt is { } endedAt && (_oldestEnd is null || endedAt < _oldestEnd))
            {
                _oldestEnd = endedAt;
            }
        }

        if (fault.DcgmWrites.Count > 0)
        {
            _withDcgmWrites.Add(fault.FaultId);
        }
    }

    private void Remove(FaultRecord fault)
    {
        if (fault.State.IsOpen())
        {
            OpenCount--;
            if (fault.ExpiresAt is { } expiresAt && expiresAt == _nextExpiry)
            {
                _nextExpiryStale = true;
            }

            if (fault.ExpiresAt is not null && fault.InjectedAt == _latestTimedInjection)
            {
                _latestTimedInjectionStale = true;
            }
        }
        else
        {
            EndedCount--;
            if (fault.EndedAt is { } endedAt && endedAt == _oldestEnd)
            {
                _oldestEndStale = true;
            }
        }

        _withDcgmWrites.Remove(fault.FaultId);
    }
}
