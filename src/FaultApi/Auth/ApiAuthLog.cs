using Microsoft.Extensions.Logging;

namespace FaultApi.Auth;

internal static partial class ApiAuthLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Token file {Path} read")]
    public static partial void TokenFileRead(ILogger logger, string path);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "Token file {Path} refused ({Problem}); the tokens read before stay in force until it is fixed")]
    public static partial void TokenFileRefused(ILogger logger, string path, string problem);
}
