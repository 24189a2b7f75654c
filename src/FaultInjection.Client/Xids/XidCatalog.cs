namespace FaultInjection.Client.Xids;

/// <summary><c>GET /api/v1/faults/gpu/xid-types</c>: the injectable Xids and SXids, as the agent on <see cref="SourceNode"/> knows them.</summary>
public sealed class XidCatalog
{
    /// <summary>The node whose agent served the catalog.</summary>
    public string SourceNode { get; init; } = "";

    /// <summary>The Xids the agents inject.</summary>
    public IReadOnlyList<XidType> Xids { get; init; } = [];

    /// <summary>The SXids the agents inject.</summary>
    public IReadOnlyList<SxidType> Sxids { get; init; } = [];
}
