using FaultApi.Problems;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace FaultApi.Tests.Problems;

/// <summary>The agent's outcome and limit answers become the API's own problems, never a generic 500 or "nothing written".</summary>
public sealed class AgentProblemsTests
{
    private static readonly AgentEndpoint Agent = new("gpu-node-001", new Uri("http://127.0.0.1:8084"), "agent-pod", new Dictionary<string, string>());

    private static RpcException Answer(StatusCode code, string reason, params Google.Protobuf.IMessage[] more)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = "agent says" };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = reason, Domain = "faultinjection.agent.v1", Metadata = { ["fault_id"] = "f-1" } }));
        foreach (var message in more)
        {
            status.Details.Add(Any.Pack(message));
        }

        return status.ToRpcException();
    }

    [Fact]
    public void FromRpc_OutcomeUnknown_500WithItsOwnTypeAndTheFault()
    {
        var fault = new Fault { FaultId = "f-1", NodeName = "gpu-node-001", State = FaultState.OutcomeUnknown, WriteOutcome = InjectionWriteOutcome.Unknown };

        var problem = AgentProblems.FromRpc(Agent, Answer(StatusCode.Unknown, "INJECTION_OUTCOME_UNKNOWN", fault), TimeSpan.FromSeconds(15));

        Assert.Equal(500, problem.Status);
        Assert.Equal("Injection outcome unknown", problem.Title);
        Assert.Equal("urn:faultinjection:problem:injection-outcome-unknown", problem.Type);
        Assert.Equal("f-1", problem.Extensions["fault_id"]);
        Assert.Equal("outcome_unknown", Assert.IsType<FaultApi.Faults.FaultResource>(problem.Extensions["fault"]).State);
        Assert.Null(problem.RetryAfter);
    }

    [Fact]
    public void FromRpc_RateLimited_429WithTheAgentsRetryDelay()
    {
        var problem = AgentProblems.FromRpc(
            Agent,
            Answer(StatusCode.ResourceExhausted, "INJECTION_RATE_LIMITED", new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(1500)) }),
            TimeSpan.FromSeconds(15));

        Assert.Equal(429, problem.Status);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), problem.RetryAfter);
        Assert.Equal(2L, problem.Extensions["retry_after_seconds"]);
    }

    [Fact]
    public void FromRpc_BugReportDownloadLimited_429TitledByThatLimitWithTheAgentsRetryDelay()
    {
        var problem = AgentProblems.FromRpc(
            Agent,
            Answer(StatusCode.ResourceExhausted, "BUG_REPORT_DOWNLOAD_LIMIT", new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) }),
            TimeSpan.FromSeconds(15));

        Assert.Equal(429, problem.Status);
        Assert.Equal("Bug report download limit", problem.Title);
        Assert.Equal("BUG_REPORT_DOWNLOAD_LIMIT", problem.Extensions["reason"]);
        Assert.Equal("gpu-node-001", problem.Extensions["node_name"]);
        Assert.Equal(TimeSpan.FromSeconds(1), problem.RetryAfter);
    }

    [Fact]
    public void FromRpc_HandshakeFailedAndTheCauseNotKept_503AgentUnavailableNamingTheAddress()
    {
        // The chain SocketsHttpHandler gave for 1-2 of 30 calls each to a listener closing on accept or after the preface
        // (HttpConnectionPool.ReturnHttp2Connection: a new connection shut down before the call had a stream).
        var cause = new HttpRequestException("An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.");
        var exception = new RpcException(new Grpc.Core.Status(StatusCode.Internal, "Error starting gRPC call. HttpRequestException: " + cause.Message, cause));

        var problem = AgentProblems.FromRpc(Agent, exception, TimeSpan.FromSeconds(15));

        Assert.Equal(503, problem.Status);
        Assert.Equal("Agent unavailable", problem.Title);
        Assert.Contains("'gpu-node-001' (http://127.0.0.1:8084/)", problem.Message, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:8084/", problem.Extensions["agent_address"]);
        Assert.Null(problem.RetryAfter);

        // DroppingAgentTests hold every dropped connection's answer to these (the wrong-protocol 502's wording).
        Assert.DoesNotContain("does not speak HTTP/2", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP/1.1", problem.Message, StringComparison.Ordinal);
    }
}
