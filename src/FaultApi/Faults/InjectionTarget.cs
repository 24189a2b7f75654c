using FaultApi.Routing;

namespace FaultApi.Faults;

/// <summary>
/// Where an injection goes: one named node, or <c>count</c> nodes matching a label selector (<see cref="Selector"/>
/// parsed from <see cref="NodeSelector"/>). Built from a request by <see cref="Validation.ApiInputRules.Target"/>.
/// </summary>
public sealed record InjectionTarget(string? NodeName, LabelSelector? Selector, string? NodeSelector, int? Count, string? FaultId, bool DryRun);
