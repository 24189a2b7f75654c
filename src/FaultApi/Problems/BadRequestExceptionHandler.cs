using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using FaultApi.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace FaultApi.Problems;

/// <summary>
/// A body or parameter the framework cannot bind becomes a problem naming what was wrong, in the API's words: a body
/// that is not JSON (missing or wrong Content-Type) is 415; bad JSON, a value of the wrong type, a field the request
/// does not have or has twice, a missing body, or a query value that is not what the route takes is 400 with an <c>errors</c> map
/// naming each field. Never a .NET type name, and never the refused bytes.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public const string UnsupportedMediaTypeDetail = "The body must be JSON: send it with Content-Type: application/json.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        var details = Describe(bad, endpoint);
        details.Instance = httpContext.Request.Path;
        httpContext.Response.StatusCode = details.Status ?? bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = details,
        }).ConfigureAwait(false);
    }

    /// <summary>The problem for a binding failure of <paramref name="endpoint"/>'s request.</summary>
    public static ProblemDetails Describe(BadHttpRequestException bad, Endpoint? endpoint)
    {
        ArgumentNullException.ThrowIfNull(bad);
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return new ProblemDetails { Status = bad.StatusCode, Title = "Unsupported Media Type", Detail = UnsupportedMediaTypeDetail };
        }

        if (bad.StatusCode != StatusCodes.Status400BadRequest)
        {
            return new ProblemDetails { Status = bad.StatusCode, Title = AgentProblems.TitleFor(bad.StatusCode), Detail = bad.Message };
        }

        var errors = new RequestErrors();
        if (bad.InnerException is JsonException json)
        {
            DescribeJson(json, endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType, errors);
        }
        else if (BindFailure().Match(bad.Message) is { Success: true } bind)
        {
            var parameter = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == bind.Groups["name"].Value);
            var name = parameter?.GetCustomAttribute<FromQueryAttribute>()?.Name ?? parameter?.GetCustomAttribute<FromRouteAttribute>()?.Name ?? parameter?.Name ?? "query";
            errors.Add(name, Expected(parameter?.ParameterType));
        }
        else if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("body", "is required: a JSON object");
        }
        else
        {
            errors.Add("request", "could not be read");
        }

        var problem = errors.ToProblem();
        return new HttpValidationProblemDetails(problem.Errors!) { Status = problem.Status, Title = problem.Title, Detail = problem.Message };
    }

    private static void DescribeJson(JsonException json, Type? bodyType, RequestErrors errors)
    {
        if (UnmappedMember().Match(json.Message) is { Success: true } unmapped)
        {
            var property = unmapped.Groups["name"].Value;
            if (SafeFieldName().IsMatch(property))
            {
                errors.Add(property, "is not a field of this request");
            }
            else
            {
                errors.Add("body", "has a property that is not a field of this request");
            }

            return;
        }

        if (DuplicateProperty().Match(json.Message) is { Success: true } duplicate)
        {
            var property = duplicate.Groups["name"].Value;
            if (SafeFieldName().IsMatch(property))
            {
                errors.Add(property, "is given more than once");
            }
            else
            {
                errors.Add("body", "has a property given more than once");
            }
            return;
        }

        // The reader's own errors (not JSON at all, too deep, cut short) come wrapped; conversion errors do not.
        var field = FieldOf(json.Path);
        if (json.InnerException is JsonException)
        {
            errors.Add("body", $"is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1})");
            return;
        }

        if (field == "body")
        {
            errors.Add("body", "must be a JSON object");
            return;
        }

        errors.Add(field, Expected(PropertyType(bodyType, field)));
    }

    /// <summary>The wire name of a JSON path: <c>$.gpu_id</c> → <c>gpu_id</c>, <c>$.expect[2]</c> → <c>expect[2]</c>; anything else is the body.</summary>
    private static string FieldOf(string? path)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return "body";
        }

        var field = path[2..];
        return SafeFieldName().IsMatch(field) ? field : "body";
    }

    private static Type? PropertyType(Type? bodyType, string field)
    {
        var name = field.Split('[')[0];
        var property = bodyType?.GetProperties().FirstOrDefault(p =>
            (p.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)) == name);
        if (property is null)
        {
            return null;
        }

        return field.Contains('[', StringComparison.Ordinal) ? ElementType(property.PropertyType) : property.PropertyType;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>What a value of <paramref name="type"/> must be, in JSON's words.</summary>
    private static string Expected(Type? type)
    {
        var t = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return t switch
        {
            null => "has the wrong type",
            _ when t == typeof(int) || t == typeof(long) => "must be a whole number",
            _ when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "must be a number",
            _ when t == typeof(bool) => "must be true or false",
            _ when t == typeof(string) => "must be a string",
            _ when t != typeof(string) && ElementType(t) == typeof(string) => "must be a list of strings",
            _ => "has the wrong type",
        };
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^\"]+) (?<name>[A-Za-z0-9_]+)\" from ", RegexOptions.CultureInvariant)]
    private static partial Regex BindFailure();

    [GeneratedRegex("^The JSON property '(?<name>.*)' could not be mapped to any \\.NET member", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex UnmappedMember();

    /// <summary>System.Text.Json's refusal of a property given twice (AllowDuplicateProperties off); the name as the body spelled it.</summary>
    [GeneratedRegex("^Duplicate propert(y '(?<name>[^']*)'|ies)", RegexOptions.CultureInvariant)]
    private static partial Regex DuplicateProperty();

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,63}(\[\d{1,6}\])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeFieldName();
}
