using Microsoft.Extensions.Logging;

namespace FaultApi.Audit;

/// <summary>The audit log as structured log events of the category <see cref="Category"/> (JSON on the console, see AddAuditLog).</summary>
public sealed class LoggerAuditLog(ILoggerFactory loggerFactory) : IAuditLog
{
    public const string Category = "FaultApi.Audit";

    private readonly ILogger _logger = loggerFactory.CreateLogger(Category);

    public void Write(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        AuditLogMessages.Event(_logger, auditEvent.Action, auditEvent.Caller, auditEvent.Target, auditEvent.Result, auditEvent.Status, auditEvent.FaultIds, auditEvent.Detail);
    }
}
