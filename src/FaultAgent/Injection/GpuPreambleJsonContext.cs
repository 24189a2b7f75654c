using System.Text.Json.Serialization;

namespace FaultAgent.Injection;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(GpuPreambleState))]
internal sealed partial class GpuPreambleJsonContext : JsonSerializerContext;
