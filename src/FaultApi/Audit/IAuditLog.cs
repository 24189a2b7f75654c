namespace FaultApi.Audit;

/// <summary>
/// Writes ONE structured log event per state-changing call (logger category <c>FaultApi.Audit</c>). Every feature that
/// changes state calls it once per call, success or refusal (the fault routes through <see cref="AuditEndpointFilter"/>).
/// </summary>
public interface IAuditLog
{
    void Write(AuditEvent auditEvent);
}
