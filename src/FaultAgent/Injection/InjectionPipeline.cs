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
/// <item>ONE batch write of the kernel log for the whole batch (<see cref="IKernelLog.WriteVerifiedBatchAsync"/>: /dev/kmsg
/// of the host's mount namespace, through descriptors opened there, on the leader's own thread): read the kernel's next sequence, journal every member's pending entry with
/// it and its place in the batch, then ONE fsync (<see cref="InjectionBatch.JournalPending"/>); then, in batch order,
/// each member's records written and read back as ours, each member only after the one before it was fully read back;
/// every member's outcome is returned together;</item>
/// <item>back under the gate, each member recorded with the kernel's proof (<see cref="InjectionBatch.Record"/>), its
/// caller answered at once.</item>
/// </list>
/// The first member that is not fully written (partially written, outcome unknown, record lost, log unavailable) ends
/// the batch write: nothing after it is written there. It is recorded as partially written / outcome unknown (durably) or
/// abandoned, and only then does a next batch write write the members after it (their pending entries are already on the
/// disk), so a restart assigns the kernel's records to pending entries in batch order, never one member's records to
/// another. Nothing of a member is written when a step before its write refuses; a journal that refuses the batch's
/// pending entries fails every member, with nothing written. The lists a batch write needs are the pipeline's own, reused
/// by every batch (batches never overlap: the gate).
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

    // Reused by every batch (one batch at a time: the registry's gate): the lines of one batch write's members, and their outcomes.
    private readonly List<IReadOnlyList<KernelLogLine>> _batchLines = [];
    private readonly List<KernelLogWriteResult> _results = [];

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
    /// Writes the members in batch order, all in one batch write of the kernel log unless one of them is stopped:
    /// there the pending entries of every member from the first one written are journaled with one fsync, then each
    /// member's lines are written and read back (<see cref="IKernelLog.WriteVerifiedBatchAsync"/>). The batch write ends at
    /// the first member that is not fully written; that member is recorded (partial, unknown) or abandoned here, and only
    /// then does a next batch write write the members after it, so a restart can assign the kernel's records to pending
    /// entries in batch order.
    /// </summary>
    private async Task WriteMembersAsync(InjectionBatch batch, List<QueuedInjection> members)
    {
        var next = 0;
        while (next < members.Count)
        {
            var first = next;
            _batchLines.Clear();
            for (var i = first; i < members.Count; i++)
            {
                _batchLines.Add(members[i].Lines);
            }

            _results.Clear();
            Action<ulong>? beforeWrite = members[first].Pending is not null ? null : fromSequence => JournalPending(batch, members, first, fromSequence);
            Exception? batchError = null;
            try
            {
                await kernelLog.WriteVerifiedBatchAsync(_batchLines, beforeWrite, _results, CancellationToken.None).ConfigureAwait(false);
            }
            catch (FaultRegistryStorageException e) when (members[first].Pending is null)
            {
                // The journal refused the pending entries: nothing of this member or any after it was written.
                for (var i = first; i < members.Count; i++)
                {
                    members[i].Fail(e);
                }

                return;
            }
            catch (Exception e) when (members[first].Pending is null)
            {
                // Refused before the pending entries were journaled (the log could not be reached, a line is invalid):
                // nothing of this member was written; the next batch write journals the rest.
                members[first].Fail(e);
                next = first + 1;
                continue;
            }
            catch (Exception e)
            {
                // The batch write failed after the pending entries were journaled: the members it returned stand, the next
                // one is judged by this error.
                batchError = e;
            }

            if (members[first].Pending is null)
            {
                throw new InvalidOperationException("The kernel log returned without asking for the pending entries first.");
            }

            for (var j = 0; j < _results.Count; j++)
            {
                Finish(batch, members[first + j], _results[j]);
            }

            next = first + _results.Count;
            if (batchError is not null && next < members.Count)
            {
                Finish(batch, members[next], new KernelLogWriteResult(null, batchError));
                next++;
            }
            else if (_results.Count == 0)
            {
                throw new InvalidOperationException("The kernel log returned no outcome for the batch's members.");
            }
        }
    }

    /// <summary>
    /// Inside the kernel log's batch write, before anything of it is written: journals the pending entries of
    /// <paramref name="members"/> from <paramref name="first"/> on, in batch order, with one fsync.
    /// </summary>
    private void JournalPending(InjectionBatch batch, List<QueuedInjection> members, int first, ulong fromSequence)
    {
        var planned = new FaultRecord[members.Count - first];
        for (var i = 0; i < planned.Length; i++)
        {
            planned[i] = members[first + i].Planned;
        }

        var pending = batch.JournalPending(planned, fromSequence);
        metrics?.GroupCommit(pending.Count);
        for (var i = 0; i < pending.Count; i++)
        {
            members[first + i].Pending = pending[i];
        }
    }

    /// <summary>Records one member's outcome from its batch write and answers its caller.</summary>
    private void Finish(InjectionBatch batch, QueuedInjection member, KernelLogWriteResult result)
    {
        var pendingEntry = member.Pending!;
        if (result.Records is not { } written)
        {
            switch (result.Error)
            {
                case KernelLogWriteIncompleteException e:
                    // Some records landed, or one may have: never "nothing written". Recorded as such (durably), so a retry replays it.
                    var incomplete = IncompleteWrites.Record(pendingEntry, e.Landed, e.OutcomeUnknown, e.Message, timeProvider.GetUtcNow());
                    batch.Record(incomplete, pendingEntry, flushToDisk: true);
                    InjectionLog.WriteIncomplete(logger, incomplete.FaultId, incomplete.State, e.Landed.Count, member.Lines.Count, e);
                    member.Fail(new InjectionOutcomeException(incomplete, e));
                    return;
                default:
                    var error = result.Error ?? new InvalidOperationException($"The kernel log returned neither records nor an error for fault '{member.Planned.FaultId}'.");
                    InjectionLog.WriteFailed(logger, member.Planned.FaultId, error);
                    batch.Abandon(member.Planned.FaultId);
                    member.Fail(error);
                    return;
            }
        }

        var phase = InjectionProfile.Start();
        var observedAt = timeProvider.GetUtcNow();
        var proofs = new FaultKernelRecord[written.Count];
        for (var i = 0; i < proofs.Length; i++)
        {
            // The Xid/SXid record holds the fault's line, not a second copy of it (the registry keeps every fault): a fault
            // holding its message behind its records matches the record to the line by its text as the records are set.
            var proof = IncompleteWrites.Proof(written[i], observedAt);
            proofs[i] = pendingEntry.HoldsMessageBehindRecords ? proof : proof.RepeatingLine(pendingEntry.HeldLine);
        }

        var recorded = pendingEntry with { WriteOutcome = FaultWriteOutcome.Verified, Records = proofs };

        // Written, not fsync'd: a killed agent keeps it (page cache); a kernel crash reboots the node, and then the
        // fsync'd pending entry stands for it. The next batch's fsync makes it durable too.
        batch.Record(recorded, pendingEntry, flushToDisk: false);
        InjectionLog.Injected(logger, recorded.FaultId, recorded.GpuId, recorded.FaultType, recorded.Caller, written.Count > 0 ? written[0].Sequence : 0);
        InjectionProfile.Add(InjectionPhase.Record, phase);
        member.Complete(new FaultRegistration(recorded, Replayed: false));
    }
}
