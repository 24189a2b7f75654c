using System.Text.Json;

namespace FaultApi.Tests.Infrastructure;

/// <summary>Reads one server-sent event (<c>event:</c>, <c>id:</c>, <c>data:</c> lines, then a blank line) from a stream.</summary>
internal static class ServerSentEvents
{
    public static async Task<(string Name, string Id, JsonElement Data)> ReadAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? name = null;
        string? id = null;
        string? data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0 && name is not null)
            {
                return (name, id!, JsonDocument.Parse(data!).RootElement);
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        throw new EndOfStreamException("the event stream ended before the next event");
    }
}
