namespace FaultInjection.Client.Xids;

/// <summary>One catalog NVSwitch SXid.</summary>
public sealed class SxidType
{
    public int Sxid { get; init; }

    public string Name { get; init; } = "";

    public bool Fatal { get; init; }

    public string DefaultMessage { get; init; } = "";

    public string RecommendedAction { get; init; } = "";
}
