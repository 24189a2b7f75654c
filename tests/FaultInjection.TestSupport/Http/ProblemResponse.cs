using System.Net;
using System.Text.Json;

namespace FaultInjection.TestSupport.Http;

/// <summary>
/// The one check every error answer of both programs passes (RFC 7807): the expected status, the
/// <c>application/problem+json</c> content type, a body whose <c>status</c> is that status and whose <c>title</c> is
/// not empty. A wrong status fails with the body in the message, so the answer that came instead is named.
/// </summary>
public static class ProblemResponse
{
    public const string MediaType = "application/problem+json";

    /// <summary>Checks <paramref name="response"/> as a problem with <paramref name="status"/> and returns its body for the caller's own checks.</summary>
    public static Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode status, CancellationToken cancellationToken = default) =>
        ReadAsync(response, [status], cancellationToken);

    /// <summary>Checks <paramref name="response"/> as a problem with one of <paramref name="statuses"/> and returns its body.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, IReadOnlyCollection<HttpStatusCode> statuses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(statuses);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = response.StatusCode;
        Assert.True(statuses.Contains(status), $"expected {string.Join(" or ", statuses.Select(s => $"{(int)s} {s}"))}, got {(int)status} {status}: {body}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == MediaType, $"expected {MediaType}, got '{response.Content.Headers.ContentType}': {body}");
        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        Assert.True(problem.TryGetProperty("status", out var statusField) && statusField.ValueKind == JsonValueKind.Number && statusField.GetInt32() == (int)status,
            $"the problem's status is not {(int)status}: {body}");
        Assert.True(problem.TryGetProperty("title", out var title) && !string.IsNullOrWhiteSpace(title.GetString()), $"the problem has no title: {body}");
        return problem;
    }
}
