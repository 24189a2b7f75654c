namespace FaultAgent.Xids;

/// <summary>One NVSwitch SXid from the Fabric Manager user guide.</summary>
public sealed record SxidCatalogEntry(int Sxid, string Name, bool Fatal, string DefaultMessage, string RecommendedAction)
{
    /// <summary>The class the driver prints after the number: <c>Fatal</c>, <c>Non-fatal</c> or <c>Correctable</c>.</summary>
    public string ErrorClass { get; init; } = Fatal ? "Fatal" : "Non-fatal";
}
