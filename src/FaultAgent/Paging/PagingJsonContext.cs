using System.Text.Json.Serialization;

namespace FaultAgent.Paging;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PageTokenDocument))]
internal sealed partial class PagingJsonContext : JsonSerializerContext;
