using System.Text.Json.Serialization;

namespace FaultApi.Safety;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BlastRadiusLedger))]
internal sealed partial class BlastRadiusLedgerJsonContext : JsonSerializerContext;
