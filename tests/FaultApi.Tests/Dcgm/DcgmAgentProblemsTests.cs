using FaultApi.Dcgm;
using FaultApi.Routing;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace FaultApi.Tests.Dcgm;

/// <summary>An agent's DCGM failure is the API's 502 (504 for a timeout) with the reason and the hostengine; other answers are not DCGM problems.</summary>
public sealed class DcgmAgentProblemsTests
{
    private static readonly AgentEndpoint Agent = new("gpu-node-001", new Uri("http://127.0.0.1:8084"), "agent-pod", new Dictionary<string, string>());

    private static RpcException Answer(StatusCode code, string reason)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = "dcgmi said no" };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = reason, Domain = "faultinjection.agent.v1", Metadata = { ["host_engine"] = "127.0.0.1:5555" } }));
        return status.ToRpcException();
    }

    [Theory]
    [InlineData("DCGM_TIMEOUT", StatusCode.DeadlineExceeded, 504, "DCGM did not answer in time")]
    [InlineData("DCGM_HOSTENGINE_UNREACHABLE", StatusCode.Unavailable, 502, "DCGM hostengine unreachable")]
    [InlineData("DCGM_VALUE_NOT_KEPT", StatusCode.Aborted, 502, "DCGM did not keep the value")]
    [InlineData("DCGM_COMMAND_FAILED", StatusCode.Unavailable, 502, "DCGM failed")]
    public void TryCreate_DcgmReason_GatewayProblemWithReasonAndHostEngine(string reason, StatusCode code, int status, string title)
    {
        Assert.True(DcgmAgentProblems.TryCreate(Agent, Answer(code, reason), out var problem));

        Assert.Equal(status, problem.Status);
        Assert.Equal(title, problem.Title);
        Assert.Equal(reason, problem.Extensions["reason"]);
        Assert.Equal("127.0.0.1:5555", problem.Extensions["host_engine"]);
        Assert.Equal("gpu-node-001", problem.Extensions["node_name"]);
        Assert.Equal(code.ToString(), problem.Extensions["grpc_status"]);
        Assert.Equal("Agent on node 'gpu-node-001': dcgmi said no", problem.Message);
    }

    [Fact]
    public void TryCreate_NotADcgmReason_False()
    {
        Assert.False(DcgmAgentProblems.TryCreate(Agent, Answer(StatusCode.ResourceExhausted, "INJECTION_RATE_LIMITED"), out _));
        Assert.False(DcgmAgentProblems.TryCreate(Agent, new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, "no details")), out _));
    }
}
