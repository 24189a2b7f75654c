namespace FaultInjection.Client.Xids;

/// <summary>One catalog NVSwitch SXid.</summary>
public sealed class SxidType
{
    /// <summary>The SXid number.</summary>
    public int Sxid { get; init; }

    /// <summary>Its name.</summary>
    public string Name { get; init; } = "";

    /// <summary>True when the driver reports it as fatal.</summary>
    public bool Fatal { get; init; }

    /// <summary>The message written when the caller gives none.</summary>
    public string DefaultMessage { get; init; } = "";

    /// <summary>The recommended action.</summary>
    public string RecommendedAction { get; init; } = "";
}
