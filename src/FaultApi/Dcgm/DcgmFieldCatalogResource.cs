namespace FaultApi.Dcgm;

/// <summary>The DCGM fields the agents inject, as the agent on <c>source_node</c> knows them.</summary>
public sealed record DcgmFieldCatalogResource(string SourceNode, IReadOnlyList<DcgmFieldTypeResource> Fields);
