using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Hosting;

namespace FaultApi.Problems;

/// <summary>
/// A request cut off because this API process is stopping (SIGTERM: its handlers call agents with the stopping token,
/// not the caller's) becomes 503 <c>API stopping</c> (<c>reason</c> <c>API_STOPPING</c>) saying that its outcome is not
/// known here, instead of a bare 500: a clear or an injection on its way to the agent may have taken effect there (an
/// agent that ended a fault takes its DCGM values back by itself), so the caller reads the fault before retrying.
/// </summary>
public sealed class ApiStoppingExceptionHandler(IProblemDetailsService problems, IHostApplicationLifetime lifetime) : IExceptionHandler
{
    public const string Reason = "API_STOPPING";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var cut = exception is OperationCanceledException || exception is RpcException { StatusCode: StatusCode.Cancelled };
        if (!cut || !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return false;
        }

        var details = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "API stopping",
            Detail = $"This API replica is stopping and cut off {httpContext.Request.Method} {httpContext.Request.Path} while it was on its way to the agent: whether it took effect there is not known here. Read the fault (GET /api/v1/faults/{{id}} through another replica, or this one once it is back) before retrying; an agent that ended a fault takes its DCGM values back by itself.",
            Instance = httpContext.Request.Path,
        };
        details.Extensions["reason"] = Reason;
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = details,
        }).ConfigureAwait(false);
    }
}
