using FaultApi.Problems;
using FaultApi.Routing;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace FaultApi.Dcgm;

/// <summary>
/// An agent's DCGM failure (google.rpc.ErrorInfo, reason <c>DCGM_*</c>) as the API's problem: DCGM is the agent's upstream,
/// so 502 Bad Gateway (504 for <c>DCGM_TIMEOUT</c>), titled by what went wrong, with <c>reason</c>, <c>host_engine</c> and
/// <c>node_name</c>. Nothing was recorded on the node and nothing is left in DCGM.
/// </summary>
public static class DcgmAgentProblems
{
    public static bool TryCreate(AgentEndpoint agent, RpcException exception, out ApiProblemException problem)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(exception);
        problem = null!;
        var info = exception.GetRpcStatus()?.GetDetail<ErrorInfo>();
        if (info is null || !info.Reason.StartsWith("DCGM_", StringComparison.Ordinal))
        {
            return false;
        }

        var title = info.Reason switch
        {
            "DCGM_HOSTENGINE_UNREACHABLE" => "DCGM hostengine unreachable",
            "DCGM_TOOL_UNAVAILABLE" => "dcgmi unavailable on the node",
            "DCGM_GPU_NOT_MANAGED" => "GPU not managed by DCGM",
            "DCGM_INJECTION_REJECTED" => "DCGM refused the injection",
            "DCGM_VALUE_NOT_KEPT" => "DCGM did not keep the value",
            "DCGM_TIMEOUT" => "DCGM did not answer in time",
            _ => "DCGM failed",
        };
        problem = new ApiProblemException(
            info.Reason == "DCGM_TIMEOUT" ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway,
            title,
            $"Agent on node '{agent.NodeName}': {exception.Status.Detail}",
            extensions: new Dictionary<string, object?>
            {
                ["node_name"] = agent.NodeName,
                ["grpc_status"] = exception.StatusCode.ToString(),
                ["reason"] = info.Reason,
                ["host_engine"] = info.Metadata.GetValueOrDefault("host_engine"),
            },
            innerException: exception);
        return true;
    }
}
