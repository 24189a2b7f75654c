namespace FaultApi.Xids;

/// <summary>One catalog NVSwitch SXid.</summary>
public sealed record SxidTypeResource(int Sxid, string Name, bool Fatal, string DefaultMessage, string RecommendedAction);
