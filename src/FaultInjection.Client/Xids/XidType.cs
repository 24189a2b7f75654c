namespace FaultInjection.Client.Xids;

/// <summary>One catalog Xid.</summary>
public sealed class XidType
{
    /// <summary>The Xid number.</summary>
    public int Xid { get; init; }

    /// <summary>Its name.</summary>
    public string Name { get; init; } = "";

    /// <summary>What it means.</summary>
    public string Description { get; init; } = "";

    /// <summary>The message written when the caller gives none.</summary>
    public string DefaultMessage { get; init; } = "";

    /// <summary>Its severity.</summary>
    public string Severity { get; init; } = "";

    /// <summary>The recommended action.</summary>
    public string RecommendedAction { get; init; } = "";

    /// <summary>The kernel log level the driver prints it at.</summary>
    public int Level { get; init; }
}
