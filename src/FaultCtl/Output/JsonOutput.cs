using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FaultCtl.Output;

/// <summary>Writes an answer as JSON on its own (indented, or on one line for streams).</summary>
public static class JsonOutput
{
    /// <summary>Writes <paramref name="value"/> followed by a newline.</summary>
    public static void Write<T>(TextWriter writer, T value, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(JsonSerializer.Serialize(value, type));
    }
}
