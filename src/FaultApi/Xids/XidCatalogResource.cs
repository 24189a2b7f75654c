namespace FaultApi.Xids;

/// <summary>The injectable Xids and SXids, as the agent on <c>source_node</c> knows them.</summary>
public sealed record XidCatalogResource(string SourceNode, IReadOnlyList<XidTypeResource> Xids, IReadOnlyList<SxidTypeResource> Sxids);
