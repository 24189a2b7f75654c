using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaultAgent.Safety;

/// <summary>
/// How a refusal by the emergency stop is told: gRPC FAILED_PRECONDITION with a google.rpc.ErrorInfo (reason
/// <c>EMERGENCY_STOP</c>, metadata <c>stopped_by</c>, <c>stopped_at</c>, <c>reason</c>); HTTP 423 Locked problem details
/// with the same extensions.
/// </summary>
public static class EmergencyStopProblem
{
    public const string Reason = "EMERGENCY_STOP";
    public const string Domain = "faultinjection.agent.v1";

    /// <summary>The problem type of 423 Locked (WebDAV, RFC 4918 section 11.3); ASP.NET Core has no default link for it.</summary>
    public const string LockedType = "https://www.rfc-editor.org/rfc/rfc4918#section-11.3";

    public static RpcException ToRpcException(EmergencyStopEngagedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var state = exception.State;
        var status = new Google.Rpc.Status { Code = (int)Code.FailedPrecondition, Message = exception.Message };
        status.Details.Add(Any.Pack(new ErrorInfo
        {
            Reason = Reason,
            Domain = Domain,
            Metadata =
            {
                ["stopped_by"] = state.ChangedBy,
                ["stopped_at"] = state.ChangedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["reason"] = state.Reason,
            },
        }));
        return status.ToRpcException();
    }

    public static ProblemHttpResult ToHttpProblem(EmergencyStopEngagedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var state = exception.State;
        return TypedResults.Problem(
            detail: exception.Message,
            statusCode: StatusCodes.Status423Locked,
            title: "Emergency stop engaged",
            type: LockedType,
            extensions: new Dictionary<string, object?>
            {
                ["stopped_by"] = state.ChangedBy,
                ["stopped_at"] = state.ChangedAt,
                ["reason"] = state.Reason,
            });
    }
}
