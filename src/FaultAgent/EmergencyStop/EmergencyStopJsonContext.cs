using System.Text.Json.Serialization;

namespace FaultAgent.EmergencyStop;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(EmergencyStopFile))]
internal sealed partial class EmergencyStopJsonContext : JsonSerializerContext;
