using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using FaultAgent.Faults;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace FaultAgent.Http;

/// <summary>
/// What the framework cannot bind on the agent's HTTP routes, told like every other refusal there
/// (<see cref="FaultProblemResults"/>): a body that is not JSON (no or another Content-Type) is 415; bad JSON, a value of
/// the wrong type, a field the body does not have, no body, or a query value the route cannot read is 400 with an
/// <c>errors</c> map naming the field. Never a .NET type name, and never the refused bytes.
/// </summary>
public sealed partial class HttpBindingProblemHandler : IExceptionHandler
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
            StatusCodes.Status400BadRequest => FaultProblemResults.ToProblem(new FaultRequestInvalidException([Violation(bad, endpoint)]))!,
            _ => TypedResults.Problem(detail: bad.Message, statusCode: bad.StatusCode, title: Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(bad.StatusCode)),
        };
        await result.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    private static FaultFieldViolation Violation(BadHttpRequestException bad, Endpoint? endpoint)
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

            var field = json.Path is { } path && path.StartsWith("$.", StringComparison.Ordinal) && SafeName().IsMatch(path[2..]) ? path[2..] : "body";
            var property = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType?.GetProperties()
                .FirstOrDefault(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == field);
            return field == "body" ? new("body", "must be a JSON object") : new(field, Expected(property?.PropertyType));
        }

        if (QueryBindFailure().Match(bad.Message) is { Success: true } bind)
        {
            var parameter = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == bind.Groups["name"].Value);
            return new(parameter?.GetCustomAttribute<FromQueryAttribute>()?.Name ?? parameter?.Name ?? "query", Expected(parameter?.ParameterType));
        }

        return new("body", "is required: a JSON object");
    }

    private static string Expected(Type? type) => (type is null ? null : Nullable.GetUnderlyingType(type) ?? type) switch
    {
        { } t when t == typeof(int) || t == typeof(long) => "must be a whole number",
        { } t when t == typeof(double) => "must be a number",
        { } t when t == typeof(bool) => "must be true or false",
        { } t when t == typeof(string) => "must be a string",
        _ => "has the wrong type",
    };

    [GeneratedRegex("^Failed to bind parameter \"[^\"]+ (?<name>[A-Za-z0-9_]+)\" from ", RegexOptions.CultureInvariant)]
    private static partial Regex QueryBindFailure();

    [GeneratedRegex("^The JSON property '(?<name>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex UnmappedName();

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}
