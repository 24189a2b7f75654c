using System.Text.Json;
using System.Text.RegularExpressions;
using FaultAgent.Faults;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FaultAgent.Http;

/// <summary>
/// What the framework cannot bind on the agent's HTTP routes, told like every other refusal there
/// (<see cref="FaultProblemResults"/>): a body that is not JSON (no or another Content-Type) is 415; bad JSON, a value of
/// the wrong type, a field the body does not have, or no body is 400 with an
/// <c>errors</c> map naming the field. Never a .NET type name, and never the refused bytes.
/// </summary>
public sealed partial class HttpBindingProblemHandler(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IExceptionHandler
{
    public const string UnsupportedMediaTypeDetail = "The body must be JSON: send it with Content-Type: application/json.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var result = bad.StatusCode switch
        {
            StatusCodes.Status415UnsupportedMediaType => TypedResults.Problem(detail: UnsupportedMediaTypeDetail, statusCode: bad.StatusCode, title: "Unsupported Media Type"),
            StatusCodes.Status400BadRequest => FaultProblemResults.ToProblem(new InvalidRequestException([Violation(bad, endpoint, json.Value.SerializerOptions)]))!,
            _ => TypedResults.Problem(detail: bad.Message, statusCode: bad.StatusCode, title: Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(bad.StatusCode)),
        };
        await result.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    private static FaultFieldViolation Violation(BadHttpRequestException bad, Endpoint? endpoint, JsonSerializerOptions serializer)
    {
        if (bad.InnerException is JsonException json)
        {
            if (json.InnerException is JsonException)
            {
                return new("body", $"is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1})");
            }

            if (json.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            {
                var name = UnmappedName().Match(json.Message).Groups["name"].Value;
                return SafeName().IsMatch(name) ? new(name, "is not a field of this request") : new("body", "has a property that is not a field of this request");
            }

            if (DuplicateName().Match(json.Message) is { Success: true } duplicate)
            {
                var name = duplicate.Groups["name"].Value;
                return SafeName().IsMatch(name) ? new(name, "is given more than once") : new("body", "has a property given more than once");
            }

            var field = json.Path is { } path && path.StartsWith("$.", StringComparison.Ordinal) && SafeName().IsMatch(path[2..]) ? path[2..] : "body";
            // The field's type from the body's JSON metadata (source-generated), not from reflection over the CLR type.
            var property = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is { } requestType
                && serializer.TryGetTypeInfo(requestType, out var body)
                    ? body.Properties.FirstOrDefault(p => p.Name == field)
                    : null;
            return field == "body" ? new("body", "must be a JSON object") : new(field, Expected(property?.PropertyType));
        }

        return new("body", "is required: a JSON object");
    }

    private static string Expected(Type? type) => (type is null ? null : Nullable.GetUnderlyingType(type) ?? type) switch
    {
        { } t when t == typeof(int) || t == typeof(long) => HttpQueryValues.WholeNumberDescription,
        { } t when t == typeof(double) => "must be a number",
        { } t when t == typeof(bool) => HttpQueryValues.BooleanDescription,
        { } t when t == typeof(string) => "must be a string",
        _ => "has the wrong type",
    };

    [GeneratedRegex("^The JSON property '(?<name>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex UnmappedName();

    /// <summary>System.Text.Json's refusal of a property given twice (AllowDuplicateProperties off); the name as the body spelled it.</summary>
    [GeneratedRegex("^Duplicate propert(y '(?<name>[^']*)'|ies)", RegexOptions.CultureInvariant)]
    private static partial Regex DuplicateName();

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}
