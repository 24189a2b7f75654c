namespace FaultInjection.Client.Faults;

/// <summary>An injection on <c>count</c> nodes matching a label selector: one fault per node.</summary>
public sealed class MultiInjection
{
    /// <summary><c>injected</c> when every node's injection succeeded.</summary>
    public string Status { get; init; } = "";

    /// <summary>The label selector the nodes were chosen by.</summary>
    public string NodeSelector { get; init; } = "";

    /// <summary>How many nodes were injected.</summary>
    public int Count { get; init; }

    /// <summary>One fault per node.</summary>
    public IReadOnlyList<Fault> Faults { get; init; } = [];
}
