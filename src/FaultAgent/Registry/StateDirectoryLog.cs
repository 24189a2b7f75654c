using Microsoft.Extensions.Logging;

namespace FaultAgent.Registry;

internal static partial class StateDirectoryLog
{
    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "State directory {Directory} locked by this agent ({Holder})")]
    public static partial void Acquired(ILogger logger, string directory, string holder);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Critical, Message = "State directory {Directory} is held by another agent ({Holder}); refusing to start")]
    public static partial void Held(ILogger logger, string directory, string holder);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "State directory lock {Path} is held, but the note naming this agent could not be written (errno {Errno})")]
    public static partial void HolderNotWritten(ILogger logger, string path, int errno);
}
