namespace FaultApi.Faults;

/// <summary>
/// The fields every injection body shares to say where the fault goes: <c>node_name</c>, or <c>node_selector</c> with
/// <c>count</c>; <c>fault_id</c>; <c>dry_run</c>. Each body declares them itself (they are its JSON contract, in its own
/// order); <see cref="Validation.ApiInputRules.Target"/> checks them for all.
/// </summary>
public interface IInjectionTargetBody
{
    string? NodeName { get; }

    string? NodeSelector { get; }

    int? Count { get; }

    string? FaultId { get; }

    bool DryRun { get; }
}
