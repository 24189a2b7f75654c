using System.Text.Json.Serialization;

namespace FaultAgent.Safety;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(EmergencyStopFile))]
internal sealed partial class EmergencyStopJsonContext : JsonSerializerContext;
