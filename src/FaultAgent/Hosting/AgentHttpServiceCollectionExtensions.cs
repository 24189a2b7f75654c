using System.Text.Json;
using System.Text.Json.Serialization;
using FaultAgent.Http;
using FaultAgent.Registry;
using FaultAgent.EmergencyStop;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FaultAgent.Hosting;

public static class AgentHttpServiceCollectionExtensions
{
    /// <summary>The largest request body (and gRPC message) the agent reads: 64 KiB, many times its largest valid request.</summary>
    public const int MaxRequestBodyBytes = 64 * 1024;

    /// <summary>What a 413 says.</summary>
    public static readonly string RequestBodyTooLargeDetail = $"The request body must be at most {MaxRequestBodyBytes} bytes (64 KiB).";

    /// <summary>
    /// snake_case JSON (source-generated) for the agent's HTTP/1.1 routes, whose bodies refuse fields they do not have;
    /// binding failures as problem details (<see cref="HttpBindingProblemHandler"/>); 415 always says the body must be
    /// JSON and 423 has a type. A request body over <see cref="MaxRequestBodyBytes"/> is refused with 413 before it is
    /// read (set in code: no deployment needs a larger one).
    /// </summary>
    public static IServiceCollection AddAgentHttp(this IServiceCollection services)
    {
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            // Enum values in snake_case; the generic converters are the Native AOT-safe form (one per enum the routes show).
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter<FaultState>(JsonNamingPolicy.SnakeCaseLower));
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter<FaultWriteOutcome>(JsonNamingPolicy.SnakeCaseLower));
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict; // "79" is a string, not an Xid
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, AgentHttpJsonContext.Default);
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (problem.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                problem.Title = "Unsupported Media Type";
                problem.Detail ??= HttpBindingProblemHandler.UnsupportedMediaTypeDetail;
            }
            else if (problem.Status == StatusCodes.Status423Locked)
            {
                problem.Type ??= FaultProblemResults.LockedType;
            }
            else if (problem.Status == StatusCodes.Status413PayloadTooLarge)
            {
                problem.Detail ??= RequestBodyTooLargeDetail;
            }
        });
        services.AddExceptionHandler<HttpBindingProblemHandler>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}
