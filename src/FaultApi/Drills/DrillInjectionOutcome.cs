using FaultApi.Problems;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace FaultApi.Drills;

/// <summary>
/// Tells a drill injection the agent definitely refused (nothing written: the drill's record is deleted) from one whose
/// outcome is unknown (the request may have reached the agent and written the line: the drill is kept), by the gRPC status.
/// </summary>
internal static class DrillInjectionOutcome
{
    /// <summary>How many times a drill's injection is sent in all when the outcome stays unknown (within Agents:CallTimeoutSeconds).</summary>
    public const int MaxSends = 3;

    public const string UnknownType = "urn:faultinjection:problem:drill-injection-outcome-unknown";

    /// <summary>The agent's answers that mean it refused the injection and wrote nothing.</summary>
    private static readonly HashSet<StatusCode> Refusals =
    [
        StatusCode.InvalidArgument,
        StatusCode.FailedPrecondition,
        StatusCode.ResourceExhausted,
        StatusCode.PermissionDenied,
        StatusCode.Unauthenticated,
        StatusCode.NotFound,
        StatusCode.AlreadyExists,
        StatusCode.OutOfRange,
        StatusCode.Unimplemented,
    ];

    /// <summary>
    /// True when the injection may have been written: the call failed with DeadlineExceeded, Unavailable, Cancelled,
    /// Unknown, Internal, DataLoss, Aborted, or without a gRPC status at all after it was sent. False for a definite
    /// refusal by the agent (<see cref="Refusals"/>) or a problem the API raised before any call (no gRPC status).
    /// </summary>
    public static bool IsUnknown(Exception exception) => exception switch
    {
        ApiProblemException { InnerException: RpcException rpc } => !Refusals.Contains(rpc.StatusCode),
        ApiProblemException => false,
        OperationCanceledException => false,
        _ => true,
    };

    /// <summary>
    /// True when sending the same injection again is safe and may confirm it: the outcome is unknown because the answer
    /// was lost. Not when the agent itself reported the write's outcome unknown or partial (it refuses a resend of it).
    /// </summary>
    public static bool CanResend(Exception exception) =>
        IsUnknown(exception) && exception is not ApiProblemException { Type: AgentProblems.OutcomeUnknownType or AgentProblems.PartiallyWrittenType };

    /// <summary>502 (504 when the agent's deadline passed) naming the drill and its fault: kept, unconfirmed, for a replica to resume.</summary>
    public static ApiProblemException Problem(DrillRecord drill, Exception cause)
    {
        StatusCode? grpc = (cause as ApiProblemException)?.InnerException is RpcException rpc ? rpc.StatusCode : null;
        var status = grpc == StatusCode.DeadlineExceeded ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
        return new ApiProblemException(
            status,
            "Drill injection outcome unknown",
            $"Drill {drill.DrillId}: the injection on node '{drill.NodeName}' may have been written (fault {drill.FaultId}), but the agent's answer was lost ({cause.Message}). "
            + $"The drill is kept: a replica sends the same injection again and follows the drill, or fails it naming why. Check GET /api/v1/drills/{drill.DrillId}; to stop it, DELETE it and clear fault {drill.FaultId} on the node.",
            extensions: new Dictionary<string, object?>
            {
                ["drill_id"] = drill.DrillId,
                ["fault_id"] = drill.FaultId,
                ["node_name"] = drill.NodeName,
                ["grpc_status"] = grpc?.ToString(),
            },
            innerException: cause)
        {
            Type = UnknownType,
        };
    }
}
