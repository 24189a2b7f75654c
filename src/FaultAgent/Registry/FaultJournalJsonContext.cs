using System.Text.Json.Serialization;

namespace FaultAgent.Registry;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(FaultJournalEntry))]
internal sealed partial class FaultJournalJsonContext : JsonSerializerContext;
