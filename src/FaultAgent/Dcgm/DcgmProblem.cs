using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace FaultAgent.Dcgm;

/// <summary>
/// How a DCGM failure is told over gRPC: the failure's status code with a google.rpc.ErrorInfo (domain
/// <c>faultinjection.agent.v1</c>, reason <c>DCGM_*</c>, metadata <c>host_engine</c>), which the API answers as 502.
/// </summary>
public static class DcgmProblem
{
    public const string Domain = "faultinjection.agent.v1";

    public static RpcException ToRpcException(DcgmException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = new Google.Rpc.Status { Code = (int)exception.StatusCode, Message = exception.Message };
        status.Details.Add(Any.Pack(new ErrorInfo
        {
            Reason = exception.Reason,
            Domain = Domain,
            Metadata = { ["host_engine"] = exception.HostEngine.Length == 0 ? "localhost" : exception.HostEngine },
        }));
        return status.ToRpcException();
    }
}
