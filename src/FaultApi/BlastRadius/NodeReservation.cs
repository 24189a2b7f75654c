namespace FaultApi.BlastRadius;

/// <summary>
/// One injection on a node as the ledger records it, written before the agent is called: in flight until the agent
/// answered (<paramref name="Settled"/>) or the agent call's deadline (plus a margin) passed; then the node's agent's
/// answer is what counts, and the reservation only keeps the node among the GPU nodes while its fault may last.
/// </summary>
/// <param name="Key">The per-node idempotency key of the injection (empty for settled reservations merged together).</param>
/// <param name="At">When it was reserved (the latest, for merged ones).</param>
/// <param name="Until">When the fault's duration ends; null: until cleared.</param>
/// <param name="Settled">True once the agent answered that the fault is recorded.</param>
/// <param name="Attempt">The call that reserved it (<see cref="InjectionPlan.Attempt"/>): a refusal frees only its own call's
/// reservation, never another call's with the same key still on its way to the agent; null for merged ones and older replicas'.</param>
public sealed record NodeReservation(string Key, DateTimeOffset At, DateTimeOffset? Until, bool Settled = false, string? Attempt = null);
