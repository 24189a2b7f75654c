using Microsoft.Extensions.Logging;

namespace FaultApi.Tests.Infrastructure;

public sealed record RecordedLogEvent(string Category, LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Properties);
