namespace FaultInjection.Client.Dcgm;

/// <summary>The DCGM fields the agents inject, as the agent on <see cref="SourceNode"/> knows them.</summary>
public sealed class DcgmFieldCatalog
{
    public string SourceNode { get; init; } = "";

    public IReadOnlyList<DcgmFieldType> Fields { get; init; } = [];
}
