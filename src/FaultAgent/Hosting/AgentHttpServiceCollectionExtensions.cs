using System.Text.Json;
using System.Text.Json.Serialization;
using FaultAgent.Http;
using FaultAgent.Safety;

namespace FaultAgent.Hosting;

public static class AgentHttpServiceCollectionExtensions
{
    /// <summary>
    /// snake_case JSON (source-generated) for the agent's HTTP/1.1 routes, whose bodies refuse fields they do not have;
    /// binding failures as problem details (<see cref="HttpBindingProblemHandler"/>); 415 always says the body must be
    /// JSON and 423 has a type.
    /// </summary>
    public static IServiceCollection AddAgentHttp(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
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
                problem.Type ??= EmergencyStopProblem.LockedType;
            }
        });
        services.AddExceptionHandler<HttpBindingProblemHandler>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}
