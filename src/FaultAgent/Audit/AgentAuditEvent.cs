namespace FaultAgent.Audit;

/// <summary>One state change kept on the node: an injection, a fault's end, or an emergency-stop change.</summary>
public sealed record AgentAuditEvent(DateTimeOffset At, string Action, string Caller, string FaultId, string Target, string Result, string Detail);
