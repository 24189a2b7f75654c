using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaultApi.Dcgm;

/// <summary>A DCGM field given as a JSON number (its id) or a string (its id or name); read as the string.</summary>
public sealed class DcgmFieldReferenceConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number when reader.TryGetInt32(out var id) => id.ToString(CultureInfo.InvariantCulture),
        JsonTokenType.Null => null,
        _ => throw new JsonException("field must be a DCGM field id (a number) or name (a string)."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
