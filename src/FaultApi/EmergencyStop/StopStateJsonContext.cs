using System.Text.Json.Serialization;

namespace FaultApi.EmergencyStop;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(StopState))]
internal sealed partial class StopStateJsonContext : JsonSerializerContext;
