namespace FaultAgent.Http;

/// <summary>POST /inject-xid result: <c>status</c> is <c>injected</c>, <c>replayed</c> or <c>dry_run</c>.</summary>
public sealed record InjectXidHttpResponse(string Status, string FaultId, bool Replayed, bool DryRun, FaultResource Fault);
