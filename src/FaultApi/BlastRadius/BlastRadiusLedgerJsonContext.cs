using System.Text.Json.Serialization;

namespace FaultApi.BlastRadius;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BlastRadiusLedger))]
internal sealed partial class BlastRadiusLedgerJsonContext : JsonSerializerContext;
