namespace FaultApi.BlastRadius;

/// <summary>The nodes a multi-node request (node selector + count, with an Idempotency-Key) picked, so its retries reuse them.</summary>
/// <param name="Selector">The request's node selector.</param>
/// <param name="Count">The request's count.</param>
/// <param name="Nodes">The nodes picked by the first call.</param>
/// <param name="At">When.</param>
public sealed record TargetRecord(string Selector, int Count, IReadOnlyList<string> Nodes, DateTimeOffset At);
