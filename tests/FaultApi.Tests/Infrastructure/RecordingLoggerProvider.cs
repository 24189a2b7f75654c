using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FaultApi.Tests.Infrastructure;

/// <summary>Keeps every log event (category, event id, structured properties) of the app under test.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<RecordedLogEvent> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, Events);

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(string category, ConcurrentQueue<RecordedLogEvent> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
                : [];
            events.Enqueue(new RecordedLogEvent(category, logLevel, eventId.Id, formatter(state, exception), properties));
        }
    }
}
