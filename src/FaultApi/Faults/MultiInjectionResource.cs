namespace FaultApi.Faults;

/// <summary>An injection on several nodes (<c>node_selector</c> + <c>count</c>): one result per node, all written.</summary>
public sealed record MultiInjectionResource(string Status, string NodeSelector, int Count, IReadOnlyList<FaultResource> Faults);
