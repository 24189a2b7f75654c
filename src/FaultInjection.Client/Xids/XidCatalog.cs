namespace FaultInjection.Client.Xids;

/// <summary><c>GET /api/v1/faults/gpu/xid-types</c>: the injectable Xids and SXids, as the agent on <see cref="SourceNode"/> knows them.</summary>
public sealed class XidCatalog
{
    public string SourceNode { get; init; } = "";

    public IReadOnlyList<XidType> Xids { get; init; } = [];

    public IReadOnlyList<SxidType> Sxids { get; init; } = [];
}
