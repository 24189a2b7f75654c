namespace FaultApi.Xids;

/// <summary>One catalog NVSwitch SXid.</summary>
public sealed record SxidTypeResource(int Sxid, string Name, bool Fatal, string DefaultMessage, string RecommendedAction)
{
    /// <summary>The class the driver prints: <c>Fatal</c>, <c>Non-fatal</c> or <c>Correctable</c>.</summary>
    public string ErrorClass { get; init; } = "";
}
