namespace FaultApi.Faults;

/// <summary>Where an injection goes: one named node, or <c>count</c> nodes matching a label selector.</summary>
public sealed record InjectionTarget(string? NodeName, string? NodeSelector, int? Count, string? FaultId, bool DryRun);
