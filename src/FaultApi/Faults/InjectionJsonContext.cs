using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaultApi.Faults;

/// <summary>
/// Source-generated serializers of an injection's answer, with the API's settings, for <see cref="SizedJsonResult{TValue}"/>
/// (#14, BENCHMARKS.md 2026-12-04 apiwork): with its own options the generated fast path writes the answer (the API's options,
/// with their relaxed encoder and reflection resolver, would take the metadata path); the writer keeps the API's escaping, so
/// the bytes are the same (InjectionAnswerJsonTests). Request bodies still bind by reflection: the bodies' generated
/// metadata in the API's resolver chain did not bind faster in three alternating runs.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(FaultResource))]
[JsonSerializable(typeof(MultiInjectionResource))]
internal sealed partial class InjectionJsonContext : JsonSerializerContext;
