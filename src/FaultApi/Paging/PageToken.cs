using System.Buffers.Text;
using System.Text.Json;

namespace FaultApi.Paging;

/// <summary>
/// Page tokens: the <see cref="PageCursor"/> as base64url JSON. Opaque to callers (they pass <c>next_page_token</c> back
/// as given); a token only says where the previous page ended, so a forged one can only start a page elsewhere in the
/// same list. They do not expire.
/// </summary>
public static class PageToken
{
    /// <summary>Longest token accepted (a cursor's key is at most a few hundred characters).</summary>
    public const int MaxLength = 2048;

    public static string Encode(PageCursor cursor) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(cursor, PageCursorJsonContext.Default.PageCursor));

    /// <summary>The cursor of <paramref name="token"/>, or <c>null</c> when it is not a token of ours.</summary>
    public static PageCursor? Decode(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length > MaxLength || !Base64Url.IsValid(token))
        {
            return null;
        }

        try
        {
            var cursor = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(token), PageCursorJsonContext.Default.PageCursor);
            return cursor is { List: not null, Filter: not null, After: not null } ? cursor : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
