using System.Net;
using System.Text.Json;
using FaultInjection.Client.EmergencyStop;

namespace FaultInjection.Client;

/// <summary>
/// An error answer of the FaultApi: its RFC 7807 problem details (<see cref="Title"/>, <see cref="Detail"/>,
/// <see cref="Status"/>, the per-field <see cref="Errors"/> and any other members as <see cref="Extensions"/>).
/// </summary>
public sealed class FaultInjectionApiException : Exception
{
    /// <summary>An error answer without details.</summary>
    public FaultInjectionApiException()
        : this("The FaultApi answered with an error.")
    {
    }

    /// <summary>An error answer described by <paramref name="message"/>.</summary>
    /// <param name="message">What went wrong.</param>
    public FaultInjectionApiException(string message)
        : this(message, null)
    {
    }

    /// <summary>An error answer described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public FaultInjectionApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]>();
        Extensions = new Dictionary<string, JsonElement>();
    }

    private FaultInjectionApiException(string message, HttpStatusCode status, string? title, string? detail, string? type, string? instance, IReadOnlyDictionary<string, string[]> errors, IReadOnlyDictionary<string, JsonElement> extensions, string body)
        : base(message)
    {
        StatusCode = status;
        Title = title;
        Detail = detail;
        Type = type;
        Instance = instance;
        Errors = errors;
        Extensions = extensions;
        ResponseBody = body;
    }

    internal FaultInjectionApiException(HttpStatusCode status, string title, string detail)
        : this($"{(int)status} {title}: {detail}", status, title, detail, null, null, new Dictionary<string, string[]>(), new Dictionary<string, JsonElement>(), "")
    {
    }

    /// <summary>The HTTP status of the answer (also the problem's <c>status</c>).</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The HTTP status as a number.</summary>
    public int Status => (int)StatusCode;

    /// <summary>The problem's <c>title</c>: a short summary of its type.</summary>
    public string? Title { get; }

    /// <summary>The problem's <c>detail</c>: what went wrong with this request.</summary>
    public string? Detail { get; }

    /// <summary>The problem's <c>type</c> URI.</summary>
    public string? Type { get; }

    /// <summary>The problem's <c>instance</c>: the request path.</summary>
    public string? Instance { get; }

    /// <summary>Per-field validation messages (<c>errors</c>), e.g. <c>xid</c> → <c>["'abc' is not a positive integer"]</c>.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>Every other member of the problem (e.g. <c>node_name</c>, <c>grpc_status</c>, <c>node_errors</c>).</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; }

    /// <summary>
    /// For a <c>423 Locked</c> answer (an injection refused because the emergency stop is engaged): its
    /// <c>stopped_by</c>, <c>stopped_at</c> and <c>reason</c>; null for every other error.
    /// </summary>
    public EmergencyStopProblem? EmergencyStop => (int)StatusCode == 423 && Extensions.ContainsKey("stopped_by")
        ? new EmergencyStopProblem
        {
            StoppedBy = StringExtension("stopped_by") ?? "",
            StoppedAt = Extensions.TryGetValue("stopped_at", out var at) && at.ValueKind == JsonValueKind.String && at.TryGetDateTimeOffset(out var when) ? when : null,
            Reason = StringExtension("reason") ?? "",
        }
        : null;

    /// <summary>The raw body of the answer (empty when it had none).</summary>
    public string ResponseBody { get; } = "";

    private string? StringExtension(string name) =>
        Extensions.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static async Task<FaultInjectionApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? title = null;
        string? detail = null;
        string? type = null;
        string? instance = null;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var extensions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var member in document.RootElement.EnumerateObject())
                    {
                        switch (member.Name)
                        {
                            case "title":
                                title = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                                break;
                            case "detail":
                                detail = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                                break;
                            case "type":
                                type = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                                break;
                            case "instance":
                                instance = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                                break;
                            case "status":
                                break;
                            case "errors" when member.Value.ValueKind == JsonValueKind.Object:
                                foreach (var field in member.Value.EnumerateObject())
                                {
                                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                                        ? [.. field.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText())]
                                        : [field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() ?? "" : field.Value.GetRawText()];
                                }

                                break;
                            default:
                                extensions[member.Name] = member.Value.Clone();
                                break;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON (e.g. a proxy's HTML page): the raw body is kept in ResponseBody.
            }
        }

        var status = response.StatusCode;
        var message = $"{(int)status} {title ?? response.ReasonPhrase ?? status.ToString()}{(detail is null ? "" : ": " + detail)}";
        return new FaultInjectionApiException(message, status, title, detail, type, instance, errors, extensions, body);
    }
}
