using System.Buffers;
using System.Text.Json;

namespace FaultApi.Faults;

/// <summary>
/// One JSON writer and its growing buffer per thread, for <see cref="SizedJsonResult{TValue}"/>: taken, written and
/// returned within one synchronous stretch (never across an await), so no request allocates them. The writer's settings are
/// those <see cref="JsonSerializer"/> derives from the serializer options it is given (the API's: their encoder escapes the
/// values) when it writes to a stream or pipe, so the bytes are the same. A buffer that grew past 64 KiB (a large multi-node answer) is not kept.
/// </summary>
internal sealed class ReusedJsonBuffer
{
    private const int KeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static ReusedJsonBuffer? _current;

    private readonly JsonSerializerOptions _options;

    private ReusedJsonBuffer(JsonSerializerOptions options)
    {
        _options = options;
        Output = new ArrayBufferWriter<byte>(4096);
        Writer = new Utf8JsonWriter(Output, WriterOptions(options));
    }

    public ArrayBufferWriter<byte> Output { get; }

    public Utf8JsonWriter Writer { get; }

    /// <summary>The writer settings <see cref="JsonSerializer"/> uses for <paramref name="options"/> (validation off: the serializer writes valid JSON).</summary>
    public static JsonWriterOptions WriterOptions(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JsonWriterOptions
        {
            Encoder = options.Encoder,
            Indented = options.WriteIndented,
            IndentCharacter = options.IndentCharacter,
            IndentSize = options.IndentSize,
            NewLine = options.NewLine,
            MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth,
            SkipValidation = true,
        };
    }

    /// <summary>This thread's buffer for <paramref name="options"/>, empty (a new one when the thread has none or one for other options).</summary>
    public static ReusedJsonBuffer Take(JsonSerializerOptions options)
    {
        var buffer = _current;
        _current = null;
        if (buffer is null || !ReferenceEquals(buffer._options, options))
        {
            return new ReusedJsonBuffer(options);
        }

        return buffer;
    }

    /// <summary>Empties the buffer and keeps it for the thread's next answer.</summary>
    public void Return()
    {
        if (Output.Capacity > KeptCapacity)
        {
            return;
        }

        Output.ResetWrittenCount();
        Writer.Reset(Output);
        _current = this;
    }
}
