using Microsoft.Extensions.Logging;

namespace FaultApi.Audit;

internal static partial class AuditLogMessages
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "audit {Action} by {Caller} on {Target}: {Result} ({Status}) faults={FaultIds} {Detail}")]
    public static partial void Event(ILogger logger, string action, string caller, string target, string result, int status, string faultIds, string detail);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "The client of {Action} by {Caller} on {Target} disconnected before the answer; the call goes on to its end and is audited")]
    public static partial void ClientDisconnected(ILogger logger, string action, string caller, string target);
}
