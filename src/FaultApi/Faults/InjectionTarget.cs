using FaultApi.Routing;

namespace FaultApi.Faults;

/// <summary>
/// Where an injection goes: one named node, or <c>count</c> nodes matching a label selector (<see cref="Selector"/>
/// parsed from <see cref="NodeSelector"/>). Built from a request by <see cref="Validation.ApiInputRules.Target"/>.
/// </summary>
/// <param name="Duration">How long the fault counts as active; null: until cleared (the blast-radius ledger keeps it as long).</param>
/// <param name="CallerKey">True when the request key is the caller's Idempotency-Key (a retry may come): a multi-node request's targets are recorded for it.</param>
public sealed record InjectionTarget(string? NodeName, LabelSelector? Selector, string? NodeSelector, int? Count, string? FaultId, bool DryRun, TimeSpan? Duration = null, bool CallerKey = false);
