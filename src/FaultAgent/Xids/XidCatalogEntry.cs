namespace FaultAgent.Xids;

/// <summary>One Xid from NVIDIA's public catalog.</summary>
/// <param name="DefaultMessage">A realistic body as the driver prints it after <c>"&lt;xid&gt;, "</c>.</param>
/// <param name="RecommendedAction">NVSentinel-style action: RESTART_BM, COMPONENT_RESET, RESTART_APP, NONE, ...</param>
/// <param name="Level">The syslog level written as the record's &lt;N&gt; prefix (3 err, 4 warning).</param>
public sealed record XidCatalogEntry(
    int Xid,
    string Name,
    string Description,
    string DefaultMessage,
    XidSeverity Severity,
    string RecommendedAction,
    int Level);
