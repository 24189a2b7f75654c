namespace FaultAgent.Xids;

/// <summary>One Xid from NVIDIA's public catalog.</summary>
/// <param name="DefaultMessage">A realistic body as the driver prints it after <c>"&lt;xid&gt;, "</c>.</param>
/// <param name="RecommendedAction">NVSentinel-style action: RESTART_BM, COMPONENT_RESET, RESTART_APP, NONE, ...</param>
/// <param name="Level">The syslog level written as the record's &lt;N&gt; prefix: 4 (warning), the driver's default level.</param>
public sealed record XidCatalogEntry(
    int Xid,
    string Name,
    string Description,
    string DefaultMessage,
    XidSeverity Severity,
    string RecommendedAction,
    int Level)
{
    /// <summary>The driver's name (<c>nverror.h</c>), e.g. <c>ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS</c>.</summary>
    public string Mnemonic { get; init; } = "";

    /// <summary><c>catalog</c> (NVIDIA's published Xid catalog) or <c>nverror.h</c> (not in the catalog yet: named from the driver).</summary>
    public string NameSource { get; init; } = "catalog";
}
