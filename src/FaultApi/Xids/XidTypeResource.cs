namespace FaultApi.Xids;

/// <summary>One catalog Xid.</summary>
public sealed record XidTypeResource(int Xid, string Name, string Description, string DefaultMessage, string Severity, string RecommendedAction, int Level);
