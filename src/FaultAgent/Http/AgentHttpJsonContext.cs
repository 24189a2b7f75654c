using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FaultAgent.Http;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(InjectXidHttpRequest))]
[JsonSerializable(typeof(InjectXidHttpResponse))]
[JsonSerializable(typeof(FaultListHttpResponse))]
[JsonSerializable(typeof(FaultResource))]
[JsonSerializable(typeof(AgentHealthHttpResponse))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class AgentHttpJsonContext : JsonSerializerContext;
