using System.Text.Json.Serialization;
using FaultInjection.Client.Suites;

namespace FaultCtl.Suites;

/// <summary>A suite file's fields as the API spells them (snake_case); an unknown field is an error, not silently dropped.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(SuiteRequest))]
public sealed partial class SuiteFileJsonContext : JsonSerializerContext;
