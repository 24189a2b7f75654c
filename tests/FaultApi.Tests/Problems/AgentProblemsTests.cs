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

    /// <summary>The API's problem for an agent's refusal with <paramref name="reason"/> and a RetryInfo of <paramref name="retryDelay"/>.</summary>
    private static ApiProblemException Refused(StatusCode code, string reason, TimeSpan retryDelay) =>
        AgentProblems.FromRpc(Agent, Answer(code, reason, new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryDelay) }), TimeSpan.FromSeconds(15));

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
    public void FromRpc_BoardSerialPending_503WithItsOwnTypeAndTheAgentsRetryDelay()
    {
        var problem = Refused(StatusCode.Unavailable, "BOARD_SERIAL_PENDING", TimeSpan.FromSeconds(20.2));

        Assert.Equal(503, problem.Status);
        Assert.Equal("GPU board serial pending", problem.Title);
        Assert.Equal("urn:faultinjection:problem:board-serial-pending", problem.Type);
        Assert.Equal("BOARD_SERIAL_PENDING", problem.Extensions["reason"]);
        Assert.Equal(TimeSpan.FromSeconds(20.2), problem.RetryAfter);
        Assert.Equal(21L, problem.Extensions["retry_after_seconds"]);
        Assert.Equal("Agent on node 'gpu-node-001': agent says", problem.Message);
    }

    [Fact]
    public void FromRpc_UnavailableWithoutAReason_StaysAgentUnavailableWithoutRetryAfter()
    {
        var problem = AgentProblems.FromRpc(Agent, new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "connection refused")), TimeSpan.FromSeconds(15));

        Assert.Equal(503, problem.Status);
        Assert.Equal("Agent unavailable", problem.Title);
        Assert.Null(problem.Type);
        Assert.Null(problem.RetryAfter);
        Assert.Empty(problem.NothingWrittenOn);
    }

    [Theory]
    [InlineData("KERNEL_LOG_RECORD_LOST", "Kernel log record lost")]
    [InlineData("STATE_DIRECTORY_UNWRITABLE", "Agent state directory unavailable")]
    public void FromRpc_NothingRecorded_503WithTheReason_NothingWrittenOnTheNode(string reason, string title)
    {
        var problem = AgentProblems.FromRpc(Agent, Answer(StatusCode.Unavailable, reason), TimeSpan.FromSeconds(15));

        Assert.Equal(503, problem.Status);
        Assert.Equal(title, problem.Title);
        Assert.Equal(reason, problem.Extensions["reason"]);
        Assert.Equal("gpu-node-001", problem.Extensions["node_name"]);
        Assert.False(problem.Extensions.ContainsKey("dcgm_fields_taken_back"));
        Assert.Equal("Agent on node 'gpu-node-001': agent says", problem.Message);
        Assert.Equal(["gpu-node-001"], problem.NothingWrittenOn);
    }

    [Theory]
    [InlineData("KERNEL_LOG_RECORD_LOST")]
    [InlineData("STATE_DIRECTORY_UNWRITABLE")]
    public void FromRpc_NothingRecordedButDcgmValuesTakenBack_503WithTheFields_NotNothingWritten(string reason)
    {
        var status = new Google.Rpc.Status { Code = (int)StatusCode.Unavailable, Message = "agent says" };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = reason, Domain = "faultinjection.agent.v1", Metadata = { ["dcgm_fields_taken_back"] = "230" } }));

        var problem = AgentProblems.FromRpc(Agent, status.ToRpcException(), TimeSpan.FromSeconds(15));

        Assert.Equal(503, problem.Status);
        Assert.Equal(reason, problem.Extensions["reason"]);
        Assert.Equal("230", problem.Extensions["dcgm_fields_taken_back"]);
        Assert.Empty(problem.NothingWrittenOn); // DCGM showed the values until they were taken back: the reservation stays
    }

    [Fact]
    public void FromRpc_NothingRecordedReasonOfAnotherDomain_StaysAgentUnavailable_NotNothingWritten()
    {
        var status = new Google.Rpc.Status { Code = (int)StatusCode.Unavailable, Message = "someone says" };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = "KERNEL_LOG_RECORD_LOST", Domain = "example.com" }));

        var problem = AgentProblems.FromRpc(Agent, status.ToRpcException(), TimeSpan.FromSeconds(15));

        Assert.Equal("Agent unavailable", problem.Title);
        Assert.Empty(problem.NothingWrittenOn);
    }

    [Fact]
    public void FromRpc_RateLimited_429WithTheAgentsRetryDelay()
    {
        var problem = Refused(StatusCode.ResourceExhausted, "INJECTION_RATE_LIMITED", TimeSpan.FromMilliseconds(1500));

        Assert.Equal(429, problem.Status);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), problem.RetryAfter);
        Assert.Equal(2L, problem.Extensions["retry_after_seconds"]);
    }

    [Fact]
    public void FromRpc_BugReportDownloadLimited_429TitledByThatLimitWithTheAgentsRetryDelay()
    {
        var problem = Refused(StatusCode.ResourceExhausted, "BUG_REPORT_DOWNLOAD_LIMIT", TimeSpan.FromSeconds(1));

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
