namespace FaultApi.BlastRadius;

/// <summary>The nodes an injection goes to, and whether the ledger holds a reservation for each (to release if nothing was written).</summary>
/// <param name="Nodes">The target nodes: picked now, or the ones a first call with the same Idempotency-Key picked.</param>
/// <param name="Reserved">True when each node's injection was reserved in the ledger before any agent call.</param>
/// <param name="Recorded">True when the nodes are the recorded targets of an earlier call (a retry).</param>
/// <param name="Attempt">This call's id on its reservations (null when nothing was reserved).</param>
public sealed record InjectionPlan(IReadOnlyList<string> Nodes, bool Reserved, bool Recorded, string? Attempt = null);
