using FaultAgent.Limits;
using FaultAgent.Registry;
using Microsoft.Extensions.Logging;

namespace FaultAgent.Injection;

/// <summary>
/// The write of one injection, once its request is validated and its records built
/// (<see cref="Faults.FaultInjectionService"/> and <see cref="XidLineBuilder"/>), in this order:
/// <list type="number">
/// <item>take the registry's write gate (<see cref="FaultRegistry.BeginInjectionAsync"/>): an identical earlier request is replayed here;</item>
/// <item>admit: the emergency stop (<see cref="IInjectionGuard"/>) and the node's limits (<see cref="IInjectionLimiter"/>);</item>
/// <item>in one crossing to the kernel log's thread (<see cref="IKernelLog.WriteVerifiedAsync"/>: /dev/kmsg in the host's
/// mount namespace): read the kernel's next sequence, journal the pending entry with it, fsync'd
/// (<see cref="InjectionSlot.JournalPending"/>), then write each record and read it back as ours;</item>
/// <item>record the fault with the kernel's proof (<see cref="InjectionSlot.Record"/>), or as partially written / outcome unknown.</item>
/// </list>
/// Nothing is written when a step before the write refuses.
/// </summary>
public sealed class InjectionPipeline(
    FaultRegistry registry,
    IKernelLog kernelLog,
    TimeProvider timeProvider,
    ILogger<InjectionPipeline> logger,
    IInjectionGuard? guard = null,
    IInjectionLimiter? limiter = null)
{
    /// <summary>
    /// Writes <paramref name="lines"/> for <paramref name="planned"/> (everything but its boot id, state and proof) and
    /// records the fault, unless an identical request already did (then returns that, replayed).
    /// </summary>
    /// <exception cref="InjectionOutcomeException">Some records landed, or one may have: recorded as such.</exception>
    public async Task<FaultRegistration> WriteAsync(FaultRecord planned, IReadOnlyList<KernelLogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(lines);
        var phase = InjectionProfile.Start();
        using var slot = await registry.BeginInjectionAsync(planned, cancellationToken).ConfigureAwait(false);
        if (slot.Replay is { } replay)
        {
            return new FaultRegistration(replay, Replayed: true);
        }

        // Under the gate: a stop engaged while this injection waited is seen here, and one engaged after this point
        // ends the fault right after it is recorded (its end-all waits for the gate).
        guard?.ThrowIfRefused();
        limiter?.Admit(slot.OpenFaults.Count, slot.OpenFaults.NextExpiry);
        InjectionProfile.Add(InjectionPhase.RegistryGate, phase);

        // One crossing to the kernel log's thread: there the next sequence is read, the pending entry journaled with it
        // (fsync'd) and only then the records written and read back. Once the pending entry is on the disk the write goes
        // through whatever the caller does: a half-done injection is worse than a late one.
        FaultRecord? pending = null;
        IReadOnlyList<KernelLogRecord> written;
        try
        {
            written = await kernelLog.WriteVerifiedAsync(lines, fromSequence => pending = slot.JournalPending(fromSequence), cancellationToken).ConfigureAwait(false);
        }
        catch (KernelLogWriteIncompleteException e) when (pending is not null)
        {
            // Some records landed, or one may have: never "nothing written". Recorded as such (durably), so a retry replays it.
            var incomplete = IncompleteWrites.Record(pending, e.Landed, e.OutcomeUnknown, e.Message, timeProvider.GetUtcNow());
            slot.Record(incomplete, flushToDisk: true);
            InjectionLog.WriteIncomplete(logger, incomplete.FaultId, incomplete.State, e.Landed.Count, lines.Count, e);
            throw new InjectionOutcomeException(incomplete, e);
        }
        catch (Exception e) when (pending is not null)
        {
            InjectionLog.WriteFailed(logger, planned.FaultId, e);
            slot.Abandon();
            throw;
        }

        // (A failure before the pending entry was journaled — the journal refused, the log could not be reached, the caller
        // gave up first — propagated above with nothing written.)
        if (pending is null)
        {
            throw new InvalidOperationException("The kernel log returned without asking for the pending entry first.");
        }

        phase = InjectionProfile.Start();
        var observedAt = timeProvider.GetUtcNow();
        var recorded = pending with
        {
            WriteOutcome = FaultWriteOutcome.Verified,
            Records = [.. written.Select(r => IncompleteWrites.Proof(r, observedAt))],
        };

        // Written, not fsync'd: a killed agent keeps it (page cache); a kernel crash reboots the node, and then the
        // fsync'd pending entry stands for it. The next injection's fsync makes it durable too.
        slot.Record(recorded, flushToDisk: false);
        InjectionLog.Injected(logger, recorded.FaultId, recorded.GpuId, recorded.FaultType, recorded.Caller, written.Count > 0 ? written[0].Sequence : 0);
        InjectionProfile.Add(InjectionPhase.Record, phase);
        return new FaultRegistration(recorded, Replayed: false);
    }

    /// <summary>
    /// Throws as an injection would be refused now (emergency stop, the node's limits), counting nothing: asked before a
    /// surface written ahead of the kernel log (DCGM). <see cref="WriteAsync"/> still decides when the fault is recorded.
    /// </summary>
    public async Task CheckAdmissionAsync(CancellationToken cancellationToken)
    {
        var open = await registry.GetOpenFaultsAsync(cancellationToken).ConfigureAwait(false);
        guard?.ThrowIfRefused();
        limiter?.Check(open.Count, open.NextExpiry);
    }
}
