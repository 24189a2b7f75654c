using System.Text.Json.Serialization;

namespace FaultAgent.Auth;

/// <summary>Source-generated JSON of the TokenReview exchange (camelCase as the Kubernetes API writes it; unset fields left out).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenReviewDocument))]
[JsonSerializable(typeof(KubernetesStatusDocument))]
internal sealed partial class TokenReviewJsonContext : JsonSerializerContext;
