using System.Text.Json.Serialization;

namespace FaultApi.Paging;

[JsonSerializable(typeof(PageCursor))]
internal sealed partial class PageCursorJsonContext : JsonSerializerContext;
