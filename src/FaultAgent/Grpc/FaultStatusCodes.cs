using FaultAgent.Dcgm;
using FaultAgent.HostProcesses;
using Grpc.Core;

namespace FaultAgent.Grpc;

/// <summary>The gRPC status code for each kind of host-tool and DCGM failure (the domain throws its own types; this adapter picks the status).</summary>
public static class FaultStatusCodes
{
    /// <summary>
    /// A tool or namespace the node lacks → FAILED_PRECONDITION; a tool that ran and failed, or one ended because the agent
    /// is stopping → UNAVAILABLE; a tool past its timeout → DEADLINE_EXCEEDED.
    /// </summary>
    public static StatusCode For(HostCommandException exception) => exception switch
    {
        HostCommandFailedException or HostCommandStoppedException => StatusCode.Unavailable,
        HostCommandTimeoutException => StatusCode.DeadlineExceeded,
        _ => StatusCode.FailedPrecondition,
    };

    public static StatusCode For(DcgmException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Failure switch
        {
            DcgmFailure.HostEngineUnreachable or DcgmFailure.CommandFailed => StatusCode.Unavailable,
            DcgmFailure.ValueNotKept => StatusCode.Aborted,
            DcgmFailure.Timeout => StatusCode.DeadlineExceeded,
            _ => StatusCode.FailedPrecondition,
        };
    }
}
