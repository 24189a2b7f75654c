using System.Text.Json;
using System.Text.Json.Serialization;
using FaultApi.OpenApi;
using FaultApi.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FaultApi.Hosting;

public static class ApiHttpServiceCollectionExtensions
{
    /// <summary>423 Locked is WebDAV's (RFC 4918, section 11.3); ASP.NET Core has no default type link for it.</summary>
    public const string LockedProblemType = "https://www.rfc-editor.org/rfc/rfc4918#section-11.3";

    /// <summary>The largest request body the API reads: 64 KiB, many times its largest valid request.</summary>
    public const int MaxRequestBodyBytes = 64 * 1024;

    /// <summary>What a 413 says.</summary>
    public static readonly string RequestBodyTooLargeDetail = $"The request body must be at most {MaxRequestBodyBytes} bytes (64 KiB).";

    /// <summary>
    /// snake_case JSON whose bodies refuse fields they do not have (a typo such as <c>gpuid</c> must not silently inject
    /// GPU 0) or have twice, RFC 7807 problem details for every error — 415 always says the body must be JSON, 423 has a type — and
    /// the OpenAPI document (the bearer scheme on every authenticated operation, tags with descriptions; see the OpenApi folder). A request body over <see cref="MaxRequestBodyBytes"/> is refused with 413 before it is read
    /// (set in code: no deployment needs a larger one). Each listening address holds at most <c>Http:MaxConnections</c>
    /// connections (<see cref="ApiHttpOptions"/>, validated at start). Kestrel schedules inline (see below).
    /// </summary>
    public static IServiceCollection AddApiHttp(this IServiceCollection services)
    {
        services.AddOptions<ApiHttpOptions>().BindConfiguration(ApiHttpOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // At the cap Kestrel closes each newly accepted connection at once, reading nothing from it; the connections it
        // holds are not touched. Upgraded (WebSocket) connections: the API serves none.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiHttpOptions>>((o, http) =>
        {
            o.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            o.Limits.MaxConcurrentConnections = http.Value.MaxConnections;
        });
        // A request's code runs on the thread its bytes arrived on, and its response is sent from the thread that writes it,
        // instead of each being handed to another pool thread (#14, BENCHMARKS.md's API profile: ~11 fewer futex calls per
        // injection). Socket completions themselves still come from the thread pool (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS
        // is not set), so no request code runs on the socket engine's epoll thread: code that blocks holds a pool thread
        // as before, and now also its own connection's reads until it returns.
        services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict; // "79" is a string, not an Xid
            // A field given twice is refused (400 naming it), never read as its last value: {"dry_run": true, "dry_run": false}
            // injected for real, while anything that read the first value saw a dry run (#14, redteam4).
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (problem.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                problem.Title = "Unsupported Media Type";
                problem.Detail ??= BadRequestExceptionHandler.UnsupportedMediaTypeDetail;
            }
            else if (problem.Status == StatusCodes.Status423Locked)
            {
                problem.Type ??= LockedProblemType;
            }
            else if (problem.Status == StatusCodes.Status413PayloadTooLarge)
            {
                problem.Detail ??= RequestBodyTooLargeDetail;
            }
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<ApiStoppingExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<ApiDocumentTransformer>();
            o.AddDocumentTransformer<BearerSecuritySchemeTransformer>();
            o.AddOperationTransformer<BearerSecuritySchemeTransformer>();
            o.AddSchemaTransformer<UnsignedIntegerSchemaTransformer>();
        });
        return services;
    }
}
