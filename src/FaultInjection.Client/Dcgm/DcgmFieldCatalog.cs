namespace FaultInjection.Client.Dcgm;

/// <summary>The DCGM fields the agents inject, as the agent on <see cref="SourceNode"/> knows them.</summary>
public sealed class DcgmFieldCatalog
{
    /// <summary>The node whose agent served the catalog.</summary>
    public string SourceNode { get; init; } = "";

    /// <summary>The fields the agents can write.</summary>
    public IReadOnlyList<DcgmFieldType> Fields { get; init; } = [];
}
