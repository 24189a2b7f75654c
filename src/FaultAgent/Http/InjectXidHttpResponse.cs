namespace FaultAgent.Http;

/// <summary>POST /inject-xid result: <c>status</c> is <c>injected</c> (<c>replayed</c> true when it is an earlier result) or <c>dry_run</c>, as on the API.</summary>
public sealed record InjectXidHttpResponse(string Status, string FaultId, bool Replayed, bool DryRun, FaultResource Fault);
