using Microsoft.Extensions.Logging;

namespace FaultAgent.Auth;

internal static partial class AgentAuthenticationLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Loaded {Count} bearer tokens from {Path}")]
    public static partial void TokensLoaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Token file {Path} cannot be read ({Reason}); keeping the tokens read before")]
    public static partial void TokenFileUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Token file {Path} holds no valid token; keeping the tokens read before")]
    public static partial void TokenFileEmpty(ILogger logger, string path);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Token file {Path}: {Problem}")]
    public static partial void TokenLineRejected(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Serving WITHOUT authentication (Agent:AllowUnauthenticated=true); every endpoint is bound to loopback")]
    public static partial void Unauthenticated(ILogger logger);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "TokenReview refused the token of '{Username}': {Reason}")]
    public static partial void TokenReviewRefused(ILogger logger, string username, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "TokenReview could not be made ({Reason}); the call is refused")]
    public static partial void TokenReviewFailed(ILogger logger, string reason);
}
