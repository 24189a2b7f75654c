using FaultAgent.Limits;
using FaultAgent.Metrics;
using FaultAgent.Registry;
using Microsoft.Extensions.Logging;

namespace FaultAgent.Injection;

/// <summary>
/// The write of injections, once each request is validated and its records built
/// (<see cref="Faults.FaultInjectionService"/> and <see cref="XidLineBuilder"/>), as group commits: a caller queues its
/// injection and takes the registry's write gate (<see cref="FaultRegistry.BeginInjectionBatchAsync"/>); whoever holds
/// the gate leads one batch of everything queued by then (its own injection is done when a leader before it wrote it):
/// <list type="number">
/// <item>each member's replay check (an identical earlier request is replayed; one sharing a fault id or idempotency key
/// with a member of this batch waits for the next batch, which sees that member's record), then the emergency stop
/// (<see cref="IInjectionGuard"/>) and the node's limits (<see cref="IInjectionLimiter"/>, counting the members admitted before it);</item>
/// <item>on the first member's crossing to the kernel log's thread (<see cref="IKernelLog.WriteVerifiedAsync"/>: /dev/kmsg
/// in the host's mount namespace): read the kernel's next sequence, journal every member's pending entry with it and
/// its place in the batch, then ONE fsync (<see cref="InjectionBatch.JournalPending"/>), then write that member's
/// records and read them back as ours;</item>
/// <item>the other members' records, in batch order, each written and read back only after the one before was recorded
/// (or marked partial, unknown or abandoned), so a restart assigns the kernel's records to pending entries in batch order;</item>
/// <item>each member recorded with the kernel's proof (<see cref="InjectionBatch.Record"/>), or as partially written /
/// outcome unknown, its caller answered at once.</item>
/// </list>
/// Nothing of a member is written when a step before its write refuses; a journal that refuses the batch's pending
/// entries fails every member, with nothing written.
/// </summary>
public sealed class InjectionPipeline(
    FaultRegistry registry,
    IKernelLog kernelLog,
    TimeProvider timeProvider,
    ILogger<InjectionPipeline> logger,
    IInjectionGuard? guard = null,
    IInjectionLimiter? limiter = null,
    AgentMetrics? metrics = null)
{
    private readonly Lock _queueLock = new();
    private readonly List<QueuedInjection> _queue = [];

    /// <summary>
    /// Writes <paramref name="lines"/> for <paramref name="planned"/> (everything but its boot id, state and proof) and
    /// records the fault, unless an identical request already did (then returns that, replayed).
    /// </summary>
    /// <exception cref="InjectionOutcomeException">Some records landed, or one may have: recorded as such.</exception>
    public async Task<FaultRegistration> WriteAsync(FaultRecord planned, IReadOnlyList<KernelLogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(lines);
        var queued = new QueuedInjection(planned, lines);
        lock (_queueLock)
        {
            _queue.Add(queued);
        }

        var gateToken = cancellationToken;
        while (!queued.Result.IsCompleted)
        {
            var phase = InjectionProfile.Start();
            InjectionBatch batch;
            try
            {
                batch = await registry.BeginInjectionBatchAsync(gateToken).ConfigureAwait(false);
            }
            catch (Exception) when (Withdraw(queued))
            {
                // Still queued: nothing of it was journaled or written (cancelled, or the journal cannot be opened).
                throw;
            }
            catch (Exception)
            {
                // A leader already took it into a batch: that batch's outcome stands, whatever this caller does. Wait for
                // it without giving up (a member put back for the next batch needs a leader: this caller, if no other).
                gateToken = CancellationToken.None;
                continue;
            }

            using (batch)
            {
                if (!queued.Result.IsCompleted)
                {
                    await LeadBatchAsync(batch, phase).ConfigureAwait(false);
                }
            }
        }

        return await queued.Result.ConfigureAwait(false);
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

    /// <summary>Injections waiting for the next batch (tests hold a batch until the others queued behind it).</summary>
    internal int Queued
    {
        get
        {
            lock (_queueLock)
            {
                return _queue.Count;
            }
        }
    }

    private bool Withdraw(QueuedInjection queued)
    {
        lock (_queueLock)
        {
            return _queue.Remove(queued);
        }
    }

    /// <summary>Admits everything queued now (under the gate the batch holds) and writes the members.</summary>
    private async Task LeadBatchAsync(InjectionBatch batch, long phase)
    {
        List<QueuedInjection> taken;
        lock (_queueLock)
        {
            taken = [.. _queue];
            _queue.Clear();
        }

        var members = new List<QueuedInjection>(taken.Count);
        var deferred = new List<QueuedInjection>();
        foreach (var queued in taken)
        {
            try
            {
                var replay = batch.FindReplay(queued.Planned, out var sharesKey);
                if (sharesKey)
                {
                    deferred.Add(queued);
                    continue;
                }

                if (replay is not null)
                {
                    queued.Complete(new FaultRegistration(replay, Replayed: true));
                    continue;
                }

                // Under the gate: a stop engaged while this injection waited is seen here, and one engaged after this
                // point ends the fault right after it is recorded (its end-all waits for the gate).
                guard?.ThrowIfRefused();
                limiter?.Admit(batch.OpenFaults.Count, batch.OpenFaults.NextExpiry);
                batch.Admit(queued.Planned);
                members.Add(queued);
            }
            catch (Exception e)
            {
                queued.Fail(e);
            }
        }

        if (deferred.Count > 0)
        {
            lock (_queueLock)
            {
                _queue.InsertRange(0, deferred);
            }
        }

        InjectionProfile.Add(InjectionPhase.RegistryGate, phase);
        try
        {
            await WriteMembersAsync(batch, members).ConfigureAwait(false);
        }
        finally
        {
            foreach (var member in members)
            {
                member.Fail(new InvalidOperationException($"The batch ended without an outcome for fault '{member.Planned.FaultId}'."));
            }
        }
    }

    /// <summary>
    /// Writes the members in batch order. The first crossing that reaches the write journals the pending entries of it and
    /// every member after it with one fsync; once they are on the disk each member's write goes through.
    /// </summary>
    private async Task WriteMembersAsync(InjectionBatch batch, List<QueuedInjection> members)
    {
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            var first = i;
            Action<ulong>? beforeWrite = member.Pending is not null ? null : fromSequence =>
            {
                var pending = batch.JournalPending([.. members.Skip(first).Select(m => m.Planned)], fromSequence);
                metrics?.GroupCommit(pending.Count);
                for (var j = 0; j < pending.Count; j++)
                {
                    members[first + j].Pending = pending[j];
                }
            };

            IReadOnlyList<KernelLogRecord> written;
            try
            {
                written = await kernelLog.WriteVerifiedAsync(member.Lines, beforeWrite, CancellationToken.None).ConfigureAwait(false);
            }
            catch (FaultRegistryStorageException e) when (member.Pending is null)
            {
                // The journal refused the batch's pending entries: nothing of any member after this point was written.
                foreach (var rest in members.Skip(i))
                {
                    rest.Fail(e);
                }

                return;
            }
            catch (Exception e) when (member.Pending is null)
            {
                // Refused before the batch was journaled (the log could not be reached, a line is invalid): nothing of this
                // member was written; the next member's crossing journals the rest.
                member.Fail(e);
                continue;
            }
            catch (KernelLogWriteIncompleteException e) when (member.Pending is { } pendingEntry)
            {
                // Some records landed, or one may have: never "nothing written". Recorded as such (durably), so a retry replays it.
                var incomplete = IncompleteWrites.Record(pendingEntry, e.Landed, e.OutcomeUnknown, e.Message, timeProvider.GetUtcNow());
                batch.Record(incomplete, flushToDisk: true);
                InjectionLog.WriteIncomplete(logger, incomplete.FaultId, incomplete.State, e.Landed.Count, member.Lines.Count, e);
                member.Fail(new InjectionOutcomeException(incomplete, e));
                continue;
            }
            catch (Exception e)
            {
                InjectionLog.WriteFailed(logger, member.Planned.FaultId, e);
                batch.Abandon(member.Planned.FaultId);
                member.Fail(e);
                continue;
            }

            if (member.Pending is null)
            {
                throw new InvalidOperationException("The kernel log returned without asking for the pending entry first.");
            }

            var phase = InjectionProfile.Start();
            var observedAt = timeProvider.GetUtcNow();
            var recorded = member.Pending with
            {
                WriteOutcome = FaultWriteOutcome.Verified,
                Records = [.. written.Select(r => IncompleteWrites.Proof(r, observedAt))],
            };

            // Written, not fsync'd: a killed agent keeps it (page cache); a kernel crash reboots the node, and then the
            // fsync'd pending entry stands for it. The next batch's fsync makes it durable too.
            batch.Record(recorded, flushToDisk: false);
            InjectionLog.Injected(logger, recorded.FaultId, recorded.GpuId, recorded.FaultType, recorded.Caller, written.Count > 0 ? written[0].Sequence : 0);
            InjectionProfile.Add(InjectionPhase.Record, phase);
            member.Complete(new FaultRegistration(recorded, Replayed: false));
        }
    }
}
