using Microsoft.Extensions.Logging;

namespace FaultApi.EmergencyStop;

/// <summary>
/// The cluster's stop state as <see cref="IStopStateStore"/> holds it: read (a store that cannot be read is a 503),
/// validated (a state that cannot be parsed, or whose version is not between 1 and a day ahead of the clock, is invalid)
/// and written by compare-and-swap at the next version. Holds no state of its own.
/// </summary>
internal sealed class ClusterStopState(IStopStateStore store, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>Compare-and-swap attempts of one change; each lost one means another writer came in between.</summary>
    public const int MaxWriteAttempts = 10;

    /// <summary>The stored state when it is valid; null with <paramref name="invalid"/> set when it is not (null, null: none stored).</summary>
    public static StopState? Validate(StoredStopState? stored, DateTimeOffset now, out string? invalid)
    {
        invalid = null;
        if (stored is null)
        {
            return null;
        }

        if (stored.State is not { } state)
        {
            invalid = stored.Invalid ?? "it cannot be parsed";
            return null;
        }

        if (!StopState.IsVersionAcceptable(state.Version, now))
        {
            invalid = $"its version {state.Version} is not between 1 and one day ahead of this replica's clock ({StopState.MaxVersionAt(now)})";
            return null;
        }

        return state;
    }

    /// <summary>The valid stored state; null when none is stored.</summary>
    /// <exception cref="FaultApi.Problems.ApiProblemException">503 when the store cannot be read or holds an invalid state.</exception>
    public async Task<StopState?> ReadValidAsync(CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var valid = Validate(stored, timeProvider.GetUtcNow(), out var invalid);
        if (invalid is not null)
        {
            StopLog.StoredInvalid(logger, invalid);
            throw StopProblems.InvalidState(invalid);
        }

        return valid;
    }

    /// <summary>
    /// The reconciler's read, which refuses nothing: whether the store could be read (logged when not), the valid state
    /// and why the stored one is not valid (logged).
    /// </summary>
    public async Task<(bool Readable, StopState? Valid, string? Invalid)> ReadForReconcileAsync(CancellationToken cancellationToken)
    {
        StoredStopState? stored = null;
        var readable = true;
        try
        {
            stored = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StopStateStoreException e)
        {
            StopLog.StoreUnreadable(logger, e);
            readable = false;
        }

        var valid = Validate(stored, timeProvider.GetUtcNow(), out var invalid);
        if (invalid is not null)
        {
            StopLog.StoredInvalid(logger, invalid);
        }

        return (readable, valid, invalid);
    }

    /// <summary>The check after a write: the valid stored state, or why it is not valid; (null, null) when none is stored or it cannot be read (logged).</summary>
    public async Task<(StopState? State, string? Invalid)> ReadValidatedOrNullAsync()
    {
        try
        {
            var stored = await store.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            var state = Validate(stored, timeProvider.GetUtcNow(), out var invalid);
            return (state, invalid);
        }
        catch (StopStateStoreException e)
        {
            // The write went through; only the check after it could not be made.
            StopLog.StoreUnreadable(logger, e);
            return (null, null);
        }
    }

    /// <summary>Writes <paramref name="state"/> over <paramref name="expectedRevision"/>; the new revision, or null when another writer came first.</summary>
    /// <exception cref="FaultApi.Problems.ApiProblemException">503 when the store cannot be written.</exception>
    public async Task<string?> TryWriteAsync(StopState state, string? expectedRevision, CancellationToken cancellationToken)
    {
        try
        {
            return await store.TryWriteAsync(state, expectedRevision, cancellationToken).ConfigureAwait(false);
        }
        catch (StopStateStoreException e)
        {
            throw StopProblems.Unavailable(e);
        }
    }

    /// <summary>
    /// Compare-and-swap: reads the store, asks <paramref name="decide"/> what to write over the valid state stored (null
    /// when none or an invalid one is stored; return null to write nothing) and above which version, gives it the next
    /// version — above the stored one, this replica's (<paramref name="localVersion"/>, read at each attempt) and that
    /// floor, at most a day ahead of the clock — and writes it over the revision read. A lost race reads again.
    /// </summary>
    /// <exception cref="FaultApi.Problems.ApiProblemException">409 after <see cref="MaxWriteAttempts"/> lost races; 503 when the
    /// store cannot be read or written, or the next version would be out of bounds.</exception>
    public async Task<WrittenStopState?> WriteAsync(Func<StopState?, (StopState Content, long Floor)?> decide, Func<long> localVersion, CancellationToken cancellationToken)
    {
        StoredStopState? stored = null;
        for (var attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            stored = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var now = timeProvider.GetUtcNow();
            var valid = Validate(stored, now, out var invalid);
            if (invalid is not null)
            {
                StopLog.OverwritingInvalid(logger, invalid);
            }

            if (decide(valid) is not var (content, floor))
            {
                return null;
            }

            var previous = Math.Max(Math.Max(valid?.Version ?? 0, localVersion()), floor);
            var version = StopState.NextVersion(previous, now) ?? throw StopProblems.VersionOutOfBounds(previous);
            var next = content with { Version = version };
            if (await TryWriteAsync(next, stored?.Revision, cancellationToken).ConfigureAwait(false) is { } revision)
            {
                return new WrittenStopState(next, revision);
            }

            StopLog.WriteConflict(logger, attempt);
        }

        throw StopProblems.TooManyConflicts(stored, MaxWriteAttempts);
    }

    private async Task<StoredStopState?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StopStateStoreException e)
        {
            throw StopProblems.Unavailable(e);
        }
    }
}
