using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FaultApi.Faults;

/// <summary>
/// A 200 answer of an injection written in ONE write with its length: the value is serialized (the API's JSON settings,
/// the same bytes <c>TypedResults.Ok</c> writes) into a buffer the thread reuses, then <c>Content-Length</c>, the
/// bytes and one flush. <c>TypedResults.Ok</c> writes the JSON as it goes, so Kestrel answers chunked: the headers and
/// body in one send and the terminating chunk in a second one, which the client must wait for too (#14, BENCHMARKS.md
/// 2026-12-04 apiwork: two <c>sendto</c> per injection, now one). The value is written by the source-generated
/// serializer of <see cref="InjectionJsonContext"/> (its own options, the API's settings), into a writer with the API's
/// writer settings (their relaxed escaping): through the API's options themselves, whose encoder and reflection resolver
/// the generated fast path does not support, System.Text.Json would take the slower metadata path.
/// </summary>
public sealed class SizedJsonResult<TValue> : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<TValue>, IContentTypeHttpResult
{
    /// <summary>The content type <c>TypedResults.Ok</c> answers JSON with.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    private readonly JsonTypeInfo<TValue> _typeInfo;

    internal SizedJsonResult(TValue value, JsonTypeInfo<TValue> typeInfo)
    {
        Value = value;
        _typeInfo = typeInfo;
    }

    public TValue Value { get; }

    object? IValueHttpResult.Value => Value;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => JsonContentType;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var apiOptions = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var response = httpContext.Response;
        var buffer = ReusedJsonBuffer.Take(apiOptions);
        try
        {
            JsonSerializer.Serialize(buffer.Writer, Value, _typeInfo);
            buffer.Writer.Flush();
            var json = buffer.Output.WrittenSpan;
            response.StatusCode = StatusCode;
            response.ContentType = JsonContentType;
            response.ContentLength = json.Length;
            json.CopyTo(response.BodyWriter.GetSpan(json.Length));
            response.BodyWriter.Advance(json.Length);
        }
        finally
        {
            buffer.Return();
        }

        return response.BodyWriter.FlushAsync(httpContext.RequestAborted).AsTask();
    }
}
