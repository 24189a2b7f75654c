using System.Text.Json.Serialization;

namespace FaultApi.Paging;

/// <summary>What a page token carries: the list, its filters, and the sort key of the last item returned.</summary>
public sealed record PageCursor(
    [property: JsonPropertyName("l")] string List,
    [property: JsonPropertyName("f")] string Filter,
    [property: JsonPropertyName("a")] string After);
