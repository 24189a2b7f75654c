using System.Text.Json.Serialization;

namespace FaultAgent.Dcgm;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(DcgmLedgerEntry))]
internal sealed partial class DcgmLedgerJsonContext : JsonSerializerContext;
