using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using FaultAgent.Faults;

namespace FaultAgent.Paging;

/// <summary>
/// The opaque cursor a <c>next_page_token</c> carries: which list and filter it belongs to, and the sort key of the last
/// item returned. Base64url of a small JSON document; not secret and not signed (it only says where a caller already
/// allowed to read the list stopped), but checked: a token of another list or filter, or one that does not parse, is a
/// violation of <c>page_token</c>.
/// </summary>
public sealed record PageToken(string List, string Filter, IReadOnlyList<string> After)
{
    private const int MaxEncodedLength = 4096;

    public string Encode() =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new PageTokenDocument(1, List, Filter, [.. After]), PagingJsonContext.Default.PageTokenDocument));

    /// <summary>The cursor in <paramref name="token"/>, which must belong to <paramref name="list"/> with <paramref name="filter"/>; null (and a violation) when it does not.</summary>
    public static PageToken? Decode(string token, string list, string filter, List<FaultFieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(violations);
        PageTokenDocument? document = null;
        if (token.Length <= MaxEncodedLength)
        {
            try
            {
                var bytes = Base64Url.DecodeFromChars(token);
                document = JsonSerializer.Deserialize(bytes, PagingJsonContext.Default.PageTokenDocument);
            }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                document = null;
            }
        }

        if (document is not { Version: 1, List: not null, Filter: not null, After: { Length: > 0 } after } || after.Any(part => part is null))
        {
            violations.Add(new("page_token", "is not a page token of this list (pass the next_page_token of the previous page unchanged)"));
            return null;
        }

        if (document.List != list || document.Filter != filter)
        {
            violations.Add(new("page_token", $"belongs to another list or filter ({Describe(document.List, document.Filter)}); this request is {Describe(list, filter)}: ask with the same filter, or start again without a token"));
            return null;
        }

        return new PageToken(list, filter, after);
    }

    private static string Describe(string list, string filter) => string.IsNullOrEmpty(filter) ? list : $"{list} where {filter}";
}
