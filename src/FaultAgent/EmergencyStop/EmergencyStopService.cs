using FaultAgent.Dcgm;
using FaultAgent.Injection;
using FaultAgent.Registry;
using Microsoft.Extensions.Logging;

namespace FaultAgent.EmergencyStop;

/// <summary>
/// Engages and releases the node's emergency stop: persists the state (<see cref="EmergencyStopStore"/>, which also refuses
/// injections through <see cref="IInjectionGuard"/>) and, while engaged, ends every active fault as expired with
/// <c>emergency stop by &lt;who&gt;: &lt;reason&gt;</c> — at once when it can, else (a deadline behind queued injections, an
/// unwritable state directory) by <see cref="EmergencyStopExpiryService"/>, which retries until none is left. How many
/// remain and why the last attempt failed are in <see cref="ExpiringFaults"/> and <see cref="ExpiryError"/>.
/// An engage answers only once no injection that was admitted before it is still writing DCGM: such an injection writes
/// DCGM before its kernel-log write is refused under the registry's gate, and takes the value back then, all under the
/// agent's DCGM lock (<see cref="DcgmFieldWriter.LockAsync"/>), which the engage waits for. A release ends what is
/// still active under the stop first, and is refused while that fails (<see cref="EndBeforeReleaseAsync"/>).
/// </summary>
public sealed class EmergencyStopService(EmergencyStopStore store, FaultRegistry registry, TimeProvider timeProvider, ILogger<EmergencyStopService> logger, DcgmFieldWriter? dcgm = null) : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _lock = new();
    private string? _lastError;

    public EmergencyStopState Current => store.Current;

    /// <summary>True once a push confirmed the state held since the agent's start (<see cref="EmergencyStopStore.Confirmed"/>).</summary>
    public bool Confirmed => store.Confirmed;

    /// <summary>While engaged: active faults not expired yet; 0 when released.</summary>
    public int ExpiringFaults => store.Current.Engaged ? registry.ActiveCount : 0;

    /// <summary>Why the last attempt to expire them failed, while some remain; null otherwise.</summary>
    public string? ExpiryError
    {
        get
        {
            lock (_lock)
            {
                return ExpiringFaults > 0 ? _lastError : null;
            }
        }
    }

    /// <summary>The largest stop version this agent accepts now (one day ahead of its clock, Unix milliseconds).</summary>
    public long MaxAcceptableVersion => EmergencyStopState.MaxVersionAt(timeProvider.GetUtcNow());

    public async Task<EmergencyStopState> SetAsync(EmergencyStopState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await EndBeforeReleaseAsync(state, cancellationToken).ConfigureAwait(false);
        var (current, changed) = await store.ApplyAsync(state, cancellationToken).ConfigureAwait(false);
        if (current.Engaged && dcgm is not null)
        {
            // Refusing from now on (in memory): an injection admitted before it may be writing DCGM now. Its value is
            // taken back before it lets go of the lock (its kernel-log write is refused), or it is recorded and ended
            // below, so once this answers nothing more is written to DCGM for an injection.
            using var drained = await dcgm.LockAsync(cancellationToken).ConfigureAwait(false);
        }

        if (current.Engaged)
        {
            // Also when unchanged: a repeated push finishes an end-all that an earlier call did not complete. The worker is
            // woken first, so a failure here, or this call's deadline, leaves the retrying to it.
            WakeExpiry();
            try
            {
                var ended = await ExpireActiveAsync(cancellationToken).ConfigureAwait(false);
                if (changed || ended > 0)
                {
                    EmergencyStopLog.Engaged(logger, current.ChangedBy, current.Version, current.Reason, ended);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Held, not refused: the stop is in force; the answer says how many faults remain and why.
                EmergencyStopLog.ExpiryFailed(logger, ExpiringFaults, EmergencyStopExpiryService.FirstRetryDelay, e);
            }
        }
        else if (changed)
        {
            EmergencyStopLog.Released(logger, current.ChangedBy, current.Version);
        }

        return current;
    }

    /// <summary>While engaged, ends every active fault as expired; returns how many this call ended. Records a failure for <see cref="ExpiryError"/>.</summary>
    public async Task<int> ExpireActiveAsync(CancellationToken cancellationToken)
    {
        var current = store.Current;
        if (!current.Engaged)
        {
            return 0;
        }

        try
        {
            var ended = await registry.EndAllActiveAsync(FaultState.Expired, current.EndedReason, current.ChangedBy, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                _lastError = null;
            }

            return ended.Count;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_lock)
            {
                _lastError = e.Message;
            }

            throw;
        }
    }

    /// <summary>
    /// Before a release that would take effect (it supersedes the engaged state held) while faults remain active under the
    /// stop — its end-all failed (an unwritable journal) or had not reached them yet —: ends them as the stop would. Were
    /// the release applied first, the stop's expiry would end with it and they would stay active for good (with any
    /// DCGM value they wrote). When they cannot be ended the release is refused and nothing changes: the stop stays
    /// engaged and keeps expiring them, and the API's next push of the release (its reconciler) lands once none is left.
    /// </summary>
    /// <exception cref="FaultRegistryStorageException">Some could not be ended: the release is not applied.</exception>
    private async Task EndBeforeReleaseAsync(EmergencyStopState state, CancellationToken cancellationToken)
    {
        var held = store.Current;
        if (state.Engaged || !held.Engaged || !state.Supersedes(held) || registry.ActiveCount == 0)
        {
            return;
        }

        try
        {
            await ExpireActiveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var left = registry.ActiveCount;
            EmergencyStopLog.ReleaseRefused(logger, state.Version, left, e);
            throw new FaultRegistryStorageException(
                $"The emergency stop (version {held.Version}) is not released: {left} faults active under it could not be ended ({e.Message}). It stays engaged and keeps expiring them; push the release again once none is left.",
                e);
        }
    }

    /// <summary>Waits until a stop is applied (or <paramref name="timeout"/> passes, or <paramref name="cancellationToken"/> is cancelled).</summary>
    internal Task<bool> WaitForWakeAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _wake.Dispose();

    private void WakeExpiry()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }
}
