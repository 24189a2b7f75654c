namespace FaultApi.Audit;

/// <summary>One audit event as <c>GET /api/v1/audit</c> returns it (from the agents' records).</summary>
public sealed record AuditEventResource(DateTimeOffset At, string NodeName, string Action, string Caller, string FaultId, string Target, string Result, string Detail);
