using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace FaultApi.OpenApi;

/// <summary>
/// How a route describes its answers in the OpenAPI document. Every route states its summary (<c>.WithSummary</c>), its
/// success body (a typed result, or <c>.Produces&lt;T&gt;</c>) and the problems it really answers with
/// <see cref="ProducesProblems"/>; 401 comes with the authenticated group (<c>MapApiGroup</c>).
/// </summary>
public static class ApiRouteDocumentation
{
    /// <summary>
    /// Each status as an RFC 7807 problem answer of this route: 400 as a validation problem (with the <c>errors</c> map
    /// per field), the others as problem details.
    /// </summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (var status in statuses)
        {
            if (status == StatusCodes.Status400BadRequest)
            {
                builder.ProducesValidationProblem();
            }
            else
            {
                builder.ProducesProblem(status);
            }
        }

        return builder;
    }

    /// <summary>
    /// A 200 body that is one of two shapes — the inject routes answer one fault for <c>node_name</c> and a
    /// <typeparamref name="TOther"/> for <c>node_selector</c> — as <c>anyOf</c> of both schemas, each a component, so a
    /// generated client has a type for either answer.
    /// </summary>
    public static RouteHandlerBuilder ProducesEither<TOne, TOther>(this RouteHandlerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Produces<TOne>(StatusCodes.Status200OK).AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            if (operation.Responses?.TryGetValue("200", out var response) != true || response!.Content?.TryGetValue("application/json", out var media) != true || media!.Schema is null)
            {
                return;
            }

            var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without its document.");
            var other = typeof(TOther).Name;
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
            if (!document.Components.Schemas.ContainsKey(other))
            {
                var schema = await context.GetOrCreateSchemaAsync(typeof(TOther), null, cancellationToken).ConfigureAwait(false);
                ReferenceComponents(schema, typeof(TOther), document);
                document.Components.Schemas[other] = schema;
            }

            media.Schema = new OpenApiSchema { AnyOf = [media.Schema, new OpenApiSchemaReference(other, document)] };
        });
    }

    /// <summary>
    /// A schema made outside the document's own pass has its nested types inline; where such a type (a property, or a
    /// list's items) is already a component, refer to it instead, so a generator makes one type of it, not two.
    /// </summary>
    private static void ReferenceComponents(OpenApiSchema schema, Type type, OpenApiDocument document)
    {
        foreach (var property in type.GetProperties())
        {
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
            if (schema.Properties?.TryGetValue(name, out var propertySchema) != true || propertySchema is not OpenApiSchema inline)
            {
                continue;
            }

            var element = property.PropertyType.IsGenericType && property.PropertyType.GetGenericArguments() is [var item] ? item : null;
            if (element is not null && inline.Items is not null && document.Components?.Schemas?.ContainsKey(element.Name) == true)
            {
                inline.Items = new OpenApiSchemaReference(element.Name, document);
            }
            else if (document.Components?.Schemas?.ContainsKey(property.PropertyType.Name) == true)
            {
                schema.Properties[name] = new OpenApiSchemaReference(property.PropertyType.Name, document);
            }
        }
    }
}
