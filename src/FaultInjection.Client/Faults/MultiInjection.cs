namespace FaultInjection.Client.Faults;

/// <summary>An injection on <c>count</c> nodes matching a label selector: one fault per node.</summary>
public sealed class MultiInjection
{
    public string Status { get; init; } = "";

    public string NodeSelector { get; init; } = "";

    public int Count { get; init; }

    public IReadOnlyList<Fault> Faults { get; init; } = [];
}
