namespace FaultAgent.Xids;

/// <summary>One NVSwitch SXid from the Fabric Manager user guide.</summary>
public sealed record SxidCatalogEntry(int Sxid, string Name, bool Fatal, string DefaultMessage, string RecommendedAction);
