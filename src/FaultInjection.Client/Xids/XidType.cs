namespace FaultInjection.Client.Xids;

/// <summary>One catalog Xid.</summary>
public sealed class XidType
{
    public int Xid { get; init; }

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public string DefaultMessage { get; init; } = "";

    public string Severity { get; init; } = "";

    public string RecommendedAction { get; init; } = "";

    /// <summary>The kernel log level the driver prints it at.</summary>
    public int Level { get; init; }
}
