using Microsoft.Extensions.Logging;

namespace FaultAgent.Limits;

internal static partial class InjectionLimitLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Injection refused by the node's {Limit} limit; retry after {RetryAfterSeconds} s")]
    public static partial void Refused(ILogger logger, InjectionLimit limit, double retryAfterSeconds);
}
