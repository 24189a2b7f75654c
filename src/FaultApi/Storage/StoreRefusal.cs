using System.Globalization;
using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace FaultApi.Storage;

/// <summary>
/// A write the Kubernetes API server refused for what it holds (422 Invalid — e.g. a ConfigMap over 1 MiB —, 400, 403,
/// 413 and the like): writing the same again is refused again, so the caller must write something else or give up.
/// Not a refusal: 404 and 409 (the object is gone or changed: the callers' own cases), 408 and 429 (try again later),
/// and every 5xx or network failure (the server may take the same write later).
/// </summary>
public static class StoreRefusal
{
    /// <summary>True when <paramref name="exception"/> is a refusal of the write itself.</summary>
    public static bool Is(Exception exception) =>
        exception is HttpOperationException { Response: { } response }
        && (int)response.StatusCode is >= 400 and < 500
        && response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);

    /// <summary>"422 Invalid: ConfigMap \"x\" is invalid: ..." — the status, the Status object's reason and message when the server sent one.</summary>
    public static string Describe(HttpOperationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = exception.Response is { } response ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) : "no status";
        var (reason, message) = Read(exception.Response?.Content);
        return $"{status} {reason ?? exception.Response?.ReasonPhrase ?? "refused"}: {message ?? exception.Message}";
    }

    private static (string? Reason, string? Message) Read(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return (null, null);
        }

        try
        {
            using var status = JsonDocument.Parse(content);
            var root = status.RootElement;
            return root.ValueKind != JsonValueKind.Object
                ? (null, null)
                : (root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null,
                    root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, content.Length > 512 ? content[..512] : content);
        }
    }
}
