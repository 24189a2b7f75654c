using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaultAgent.Limits;

/// <summary>
/// How a refusal by a node limit is told: gRPC RESOURCE_EXHAUSTED with a google.rpc.RetryInfo (retry_delay), a
/// google.rpc.QuotaFailure (subject <c>node:&lt;name&gt;</c>) and a google.rpc.ErrorInfo (reason
/// <c>INJECTION_RATE_LIMITED</c> or <c>ACTIVE_FAULT_LIMIT</c>, metadata <c>retry_after_seconds</c>); HTTP 429 problem
/// details with a <c>Retry-After</c> header (whole seconds, rounded up) and the same reason.
/// </summary>
public static class InjectionLimitProblem
{
    public const string Domain = "faultinjection.agent.v1";
    public const string RateReason = "INJECTION_RATE_LIMITED";
    public const string ActiveFaultsReason = "ACTIVE_FAULT_LIMIT";

    public static string ReasonOf(InjectionLimit limit) => limit == InjectionLimit.Rate ? RateReason : ActiveFaultsReason;

    /// <summary>The Retry-After header value: whole seconds, at least 1.</summary>
    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public static RpcException ToRpcException(InjectionLimitExceededException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = new Google.Rpc.Status { Code = (int)Code.ResourceExhausted, Message = exception.Message };
        status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(exception.RetryAfter) }));
        status.Details.Add(Any.Pack(new QuotaFailure
        {
            Violations =
            {
                new QuotaFailure.Types.Violation
                {
                    Subject = "node:" + exception.NodeName,
                    Description = exception.Limit == InjectionLimit.Rate ? "Agent:Limits:InjectionsPerSecond / InjectionBurst" : "Agent:Limits:MaxActiveFaults",
                },
            },
        }));
        status.Details.Add(Any.Pack(new ErrorInfo
        {
            Reason = ReasonOf(exception.Limit),
            Domain = Domain,
            Metadata = { ["retry_after_seconds"] = RetryAfterSeconds(exception.RetryAfter) },
        }));
        return status.ToRpcException();
    }

    /// <summary>429 problem details; the caller sets the <c>Retry-After</c> header (<see cref="RetryAfterSeconds"/>).</summary>
    public static ProblemHttpResult ToHttpProblem(InjectionLimitExceededException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return TypedResults.Problem(
            detail: exception.Message,
            statusCode: StatusCodes.Status429TooManyRequests,
            title: exception.Limit == InjectionLimit.Rate ? "Injection rate limit" : "Active fault limit",
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = ReasonOf(exception.Limit),
                ["retry_after_seconds"] = Math.Max(1, (long)Math.Ceiling(exception.RetryAfter.TotalSeconds)),
            });
    }
}
