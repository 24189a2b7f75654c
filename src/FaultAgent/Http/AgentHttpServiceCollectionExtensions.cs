using System.Text.Json;
using System.Text.Json.Serialization;
using FaultAgent.EmergencyStop;
using FaultAgent.Hosting;
using FaultAgent.Registry;

namespace FaultAgent.Http;

public static class AgentHttpServiceCollectionExtensions
{
    /// <summary>What a 413 says.</summary>
    public static readonly string RequestBodyTooLargeDetail = $"The request body must be at most {AgentEndpoints.MaxRequestBodyBytes} bytes (64 KiB).";

    /// <summary>
    /// snake_case JSON (source-generated) for the agent's HTTP/1.1 routes (<see cref="AgentHttpEndpoints.MapAgentHttp"/>),
    /// whose bodies refuse fields they do not have or have twice; binding failures as problem details
    /// (<see cref="HttpBindingProblemHandler"/>). A request body over <see cref="AgentEndpoints.MaxRequestBodyBytes"/> is
    /// refused with 413 before it is read (<see cref="AgentEndpoints"/>: no deployment needs a larger one).
    /// </summary>
    public static IServiceCollection AddAgentHttp(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            // Enum values in snake_case; the generic converters are the Native AOT-safe form (one per enum the routes show).
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter<FaultState>(JsonNamingPolicy.SnakeCaseLower));
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter<FaultWriteOutcome>(JsonNamingPolicy.SnakeCaseLower));
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict; // "79" is a string, not an Xid
            options.SerializerOptions.AllowDuplicateProperties = false; // a field given twice is refused, never read as its last value
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, AgentHttpJsonContext.Default);
        });
        services.AddExceptionHandler<HttpBindingProblemHandler>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>RFC 7807 problem details for every HTTP error the agent answers; 415 always says the body must be JSON, 413 names the limit and 423 has a type.</summary>
    public static IServiceCollection AddAgentProblemDetails(this IServiceCollection services)
    {
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
        return services;
    }
}
