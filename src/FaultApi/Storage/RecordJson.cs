using System.Text.Json;

namespace FaultApi.Storage;

/// <summary>The JSON of the drill and suite records, as stored in their ConfigMaps and sent in their events (the API's own shape: snake_case).</summary>
public static class RecordJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
