using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FaultApi.OpenApi;

/// <summary>
/// Describes the API's one authentication — <c>Authorization: Bearer &lt;token&gt;</c> with a caller token from
/// <c>Auth:TokenFile</c> — as the <c>bearer</c> security scheme, and requires it on exactly the operations whose endpoint
/// requires authorization (every <c>/api/v1</c> route); the open routes (<c>/health</c>, <c>/ready</c>) stay open and say so (<c>security: []</c>). A
/// generated client or Swagger UI then knows to send the token.
/// </summary>
public sealed class BearerSecuritySchemeTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A caller token from the API's token file (Auth:TokenFile, one 'name:token' a line), sent as 'Authorization: Bearer <token>'. "
                + "A missing or unknown token is 401 with problem details.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [],
            });
        }
        else
        {
            // An open route says so: an empty list, not an absent one (which would mean "as the document's default").
            operation.Security = [];
        }

        return Task.CompletedTask;
    }
}
