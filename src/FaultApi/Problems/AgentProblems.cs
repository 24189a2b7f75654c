using FaultApi.Dcgm;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace FaultApi.Problems;

/// <summary>Turns an agent's <see cref="RpcException"/> into the API's problem (status by <see cref="GrpcStatusHttpMapping"/>, field violations as <c>errors</c>).</summary>
public static class AgentProblems
{
    /// <summary>The ErrorInfo domain of the agent's own refusals.</summary>
    public const string AgentDomain = "faultinjection.agent.v1";

    /// <summary>An agent that has not had its stop state confirmed since its start (it refuses real injections until a push).</summary>
    public const string StopUnconfirmedReason = "EMERGENCY_STOP_UNCONFIRMED";

    public const string OutcomeUnknownReason = "INJECTION_OUTCOME_UNKNOWN";
    public const string PartiallyWrittenReason = "INJECTION_PARTIALLY_WRITTEN";
    public const string OutcomeUnknownType = "urn:faultinjection:problem:injection-outcome-unknown";
    public const string PartiallyWrittenType = "urn:faultinjection:problem:injection-partially-written";

    /// <summary>An agent that refused an injection because nvidia-smi has not yet answered the GPU's board serial.</summary>
    public const string BoardSerialPendingReason = "BOARD_SERIAL_PENDING";
    public const string BoardSerialPendingType = "urn:faultinjection:problem:board-serial-pending";

    /// <summary>An agent whose kernel did not keep the injection's first record (the write was dropped: rate limit).</summary>
    public const string KernelLogRecordLostReason = "KERNEL_LOG_RECORD_LOST";

    /// <summary>An agent whose state directory cannot be written (the fault journal or the DCGM write ledger).</summary>
    public const string StateDirectoryUnwritableReason = "STATE_DIRECTORY_UNWRITABLE";

    /// <summary>The ErrorInfo metadata naming the DCGM fields such a refused injection wrote before and took back (then not "nothing written").</summary>
    public const string DcgmFieldsTakenBackKey = "dcgm_fields_taken_back";

    public static ApiProblemException FromRpc(AgentEndpoint agent, RpcException exception, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(exception);
        var code = exception.StatusCode;
        var rpcStatus = exception.GetRpcStatus();
        if (code == StatusCode.FailedPrecondition && rpcStatus?.GetDetail<ErrorInfo>() is { Reason: "EMERGENCY_STOP" } stop)
        {
            return EmergencyStopped(agent, exception, stop);
        }

        if (code == StatusCode.FailedPrecondition && rpcStatus?.GetDetail<ErrorInfo>() is { Domain: AgentDomain, Reason: StopUnconfirmedReason })
        {
            return StopUnconfirmed(agent, exception);
        }

        if (code == StatusCode.Unavailable && rpcStatus?.GetDetail<ErrorInfo>() is { Domain: AgentDomain, Reason: BoardSerialPendingReason } pending)
        {
            return BoardSerialPending(agent, exception, pending, rpcStatus.GetDetail<RetryInfo>());
        }

        if (code == StatusCode.Unavailable
            && rpcStatus?.GetDetail<ErrorInfo>() is { Domain: AgentDomain, Reason: KernelLogRecordLostReason or StateDirectoryUnwritableReason } refused)
        {
            return NothingRecorded(agent, exception, refused);
        }

        if (RefusedHttp2(exception))
        {
            return WrongProtocol(agent, exception);
        }

        if (HandshakeFailedWithoutCause(exception))
        {
            return HandshakeUnfinished(agent, exception);
        }

        if (DcgmAgentProblems.TryCreate(agent, exception, out var dcgm))
        {
            return dcgm;
        }

        if (code == StatusCode.ResourceExhausted && rpcStatus?.GetDetail<ErrorInfo>() is { Domain: AgentDomain } limit)
        {
            return Limited(agent, exception, limit, rpcStatus.GetDetail<RetryInfo>());
        }

        if (code is StatusCode.Unknown or StatusCode.DataLoss
            && rpcStatus?.GetDetail<ErrorInfo>() is { Domain: AgentDomain, Reason: OutcomeUnknownReason or PartiallyWrittenReason } outcome)
        {
            return InjectionOutcome(agent, exception, outcome, rpcStatus.GetDetail<Fault>());
        }

        // The caller did authenticate to the API; an agent refusing the API's own credential is an upstream
        // misconfiguration (502), not a reason to tell the caller to re-authenticate (401).
        var status = code == StatusCode.Unauthenticated
            ? StatusCodes.Status502BadGateway
            : GrpcStatusHttpMapping.ToHttpStatus(code);
        var (title, detail) = code switch
        {
            StatusCode.DeadlineExceeded => ("Agent timeout", $"The agent on node '{agent.NodeName}' did not answer within {deadline.TotalSeconds:0.###} s."),
            StatusCode.Unavailable => ("Agent unavailable", $"The agent on node '{agent.NodeName}' ({agent.Address}) is unavailable: {exception.Status.Detail}"),
            StatusCode.Unauthenticated => ("Agent refused the API's credential", $"The agent on node '{agent.NodeName}' did not accept the API's credential (Agents:TokenFile): {exception.Status.Detail}"),
            _ => (TitleFor(status), $"Agent on node '{agent.NodeName}': {exception.Status.Detail}"),
        };
        Dictionary<string, string[]>? errors = null;
        var badRequest = rpcStatus?.GetDetail<BadRequest>();
        if (badRequest is { FieldViolations.Count: > 0 })
        {
            errors = badRequest.FieldViolations
                .GroupBy(v => v.Field, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(v => v.Description).ToArray(), StringComparer.Ordinal);
        }

        return new ApiProblemException(status, title, detail, errors, new Dictionary<string, object?>
        {
            ["node_name"] = agent.NodeName,
            ["grpc_status"] = code.ToString(),
        }, exception);
    }

    /// <summary>HTTP/2's error code HTTP_1_1_REQUIRED (RFC 9113, section 7): the peer speaks HTTP/1.1 only.</summary>
    private const long Http11Required = 0xd;

    /// <summary>
    /// SocketsHttpHandler's message (SR.net_http_http2_connection_not_established) for a new HTTP/2 connection that did
    /// not complete its handshake. It is on the outer exception whatever the cause — a connection closed (FIN) or reset
    /// (RST) before the agent's SETTINGS arrived as much as an endpoint that refused HTTP/2 — so it never decides alone.
    /// </summary>
    private const string Http2HandshakeFailed = "did not complete the HTTP/2 handshake";

    /// <summary>
    /// True when the agent's endpoint does not speak HTTP/2 (an endpoint set to HTTP/1.1 only): it refused the call with
    /// HTTP_1_1_REQUIRED (Kestrel's GOAWAY on an Http1-only endpoint), an HttpProtocolException's error code. gRPC reports
    /// it as INTERNAL, the cause in its debug exception. Not the handshake's message, which a closed or reset connection
    /// carries too (with its IOException, SocketException or HttpIOException ResponseEnded inside, and gRPC's UNAVAILABLE:
    /// the "Agent unavailable" below). Not PROTOCOL_ERROR either: an HTTP/1.1 text answer to the preface raises it (its
    /// first bytes read as a frame over the size limit), but so does an HTTP/2 agent's bad frame later on a connection,
    /// with the same exception chain.
    /// </summary>
    private static bool RefusedHttp2(RpcException exception)
    {
        for (Exception? e = exception.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException { ErrorCode: Http11Required })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when a new connection to the agent shut down before the call could use it and SocketsHttpHandler kept no
    /// cause: a bare HttpRequestException with the handshake's message, no inner exception and HttpRequestError.Unknown
    /// (gRPC's INTERNAL, so the channel does not retry it). dotnet/runtime raises it in exactly one place,
    /// HttpConnectionPool.ReturnHttp2Connection, when the connection it just set up for the waiting call cannot reserve
    /// a stream (Http2Connection.TryReserveStream: the connection already shut down, or the peer's first SETTINGS allowed
    /// no streams). Http2Connection.SetupAsync starts reading the peer's frames before it writes the preface, and returns
    /// once the preface is written, without waiting for the peer's SETTINGS; when the agent's end answers the preface and
    /// closes fast enough (Kestrel's HTTP_1_1_REQUIRED on an Http1-only endpoint, a close or reset after the preface) the
    /// read loop aborts the connection in between and the cause is dropped. Measured with a Grpc.Net.Client 2.85 probe,
    /// a fresh channel per first call to a Kestrel Http1-only endpoint on loopback: 38-331 of 3,000 (load 11-17); also
    /// 1-2 of 30 to a listener closing on accept or after reading the preface. The runtime gives only the message here,
    /// so it is matched (SocketsHttpHandler's resource string; no type or error code says more).
    /// <see cref="Agents.AgentCaller"/> sends such a call again, once (the call never had a stream, so nothing of it was
    /// written), through <see cref="Agents.AnswerAfterRequestStream"/>, which lets the agent's answer reach the call.
    /// </summary>
    public static bool HandshakeFailedWithoutCause(RpcException exception) =>
        exception?.Status.DebugException is HttpRequestException { InnerException: null, HttpRequestError: HttpRequestError.Unknown } e
        && e.Message.Contains(Http2HandshakeFailed, StringComparison.Ordinal);

    /// <summary>
    /// A call whose connection to the agent shut down before its HTTP/2 handshake completed, its cause not kept by the
    /// runtime (see <see cref="HandshakeFailedWithoutCause"/>), where it was not sent again (a bug report download's
    /// stream) or its one resend met it too: 503 "Agent unavailable" like a closed or reset connection's UNAVAILABLE —
    /// nothing of the call reached the agent.
    /// </summary>
    private static ApiProblemException HandshakeUnfinished(AgentEndpoint agent, RpcException exception) => new(
        StatusCodes.Status503ServiceUnavailable,
        "Agent unavailable",
        $"The agent on node '{agent.NodeName}' ({agent.Address}) is unavailable: the connection to it closed before the HTTP/2 handshake completed, "
        + "and the HTTP client kept no cause (a dropped or reset connection); nothing was sent to the agent.",
        extensions: new Dictionary<string, object?>
        {
            ["node_name"] = agent.NodeName,
            ["agent_address"] = agent.Address.ToString(),
            ["grpc_status"] = exception.StatusCode.ToString(),
        },
        innerException: exception);

    /// <summary>An agent whose gRPC endpoint speaks HTTP/1.1 only (HTTP_1_1_REQUIRED): 502 naming the node, the agent's address and the cause (never a 500 "Internal error").</summary>
    private static ApiProblemException WrongProtocol(AgentEndpoint agent, RpcException exception) => new(
        StatusCodes.Status502BadGateway,
        "Agent speaks the wrong protocol",
        $"The agent on node '{agent.NodeName}' ({agent.Address}) refused HTTP/2 (HTTP_1_1_REQUIRED): the agent's gRPC endpoint does not speak HTTP/2. "
        + "The agent's gRPC port must serve HTTP/2 (h2c); check the agent's endpoint settings and anything between the API and the agent.",
        extensions: new Dictionary<string, object?>
        {
            ["node_name"] = agent.NodeName,
            ["agent_address"] = agent.Address.ToString(),
            ["grpc_status"] = exception.StatusCode.ToString(),
        },
        innerException: exception);

    /// <summary>An agent's refusal under the emergency stop (FAILED_PRECONDITION, ErrorInfo EMERGENCY_STOP): 423 Locked naming who, when and why.</summary>
    private static ApiProblemException EmergencyStopped(AgentEndpoint agent, RpcException exception, ErrorInfo info) => new(
        StatusCodes.Status423Locked,
        "Emergency stop engaged",
        $"Agent on node '{agent.NodeName}': {exception.Status.Detail}",
        extensions: new Dictionary<string, object?>
        {
            ["node_name"] = agent.NodeName,
            ["grpc_status"] = exception.StatusCode.ToString(),
            ["stopped_by"] = info.Metadata.GetValueOrDefault("stopped_by"),
            ["stopped_at"] = info.Metadata.GetValueOrDefault("stopped_at"),
            ["reason"] = info.Metadata.GetValueOrDefault("reason"),
        },
        innerException: exception);

    /// <summary>
    /// An agent's refusal because no API confirmed its stop state since its start (FAILED_PRECONDITION, ErrorInfo
    /// EMERGENCY_STOP_UNCONFIRMED): 503 with <c>reason</c>; nothing was written. The injection path pushes the cluster's
    /// state to the agent and retries once (<see cref="IsStopUnconfirmed"/>), so a caller sees this only when that failed.
    /// </summary>
    private static ApiProblemException StopUnconfirmed(AgentEndpoint agent, RpcException exception) => new(
        StatusCodes.Status503ServiceUnavailable,
        "Agent stop state unconfirmed",
        $"Agent on node '{agent.NodeName}': {exception.Status.Detail}",
        extensions: new Dictionary<string, object?>
        {
            ["node_name"] = agent.NodeName,
            ["grpc_status"] = exception.StatusCode.ToString(),
            ["reason"] = StopUnconfirmedReason,
        },
        innerException: exception);

    /// <summary>True for an agent's refusal for want of a confirmed stop state (see <see cref="StopUnconfirmed"/>).</summary>
    public static bool IsStopUnconfirmed(ApiProblemException problem) =>
        problem is not null && problem.Extensions.TryGetValue("reason", out var reason) && reason as string == StopUnconfirmedReason;

    /// <summary>
    /// An agent's refusal by a node limit (RESOURCE_EXHAUSTED, ErrorInfo INJECTION_RATE_LIMITED, ACTIVE_FAULT_LIMIT or
    /// BUG_REPORT_DOWNLOAD_LIMIT): 429 with the agent's RetryInfo as <c>Retry-After</c>. Nothing was written or opened.
    /// </summary>
    private static ApiProblemException Limited(AgentEndpoint agent, RpcException exception, ErrorInfo info, RetryInfo? retry) => WithRetryAfter(
        agent,
        exception,
        StatusCodes.Status429TooManyRequests,
        info.Reason switch
        {
            "ACTIVE_FAULT_LIMIT" => "Active fault limit",
            "BUG_REPORT_DOWNLOAD_LIMIT" => "Bug report download limit",
            _ => "Injection rate limit",
        },
        type: null,
        info,
        retry,
        nothingWritten: false);

    /// <summary>
    /// An agent's refusal because the host's nvidia-smi has not yet answered the GPU's board serial, which the injection
    /// must print (UNAVAILABLE, ErrorInfo BOARD_SERIAL_PENDING): 503 with its own <c>type</c>, <c>reason</c>,
    /// <c>pci_bus_id</c> and the agent's RetryInfo as <c>Retry-After</c> (when the agent's nvidia-smi run has answered or
    /// timed out). Nothing was written. The API's channel sent the injection again on UNAVAILABLE
    /// (<c>Agents:MaxAttempts</c>) before this, every attempt waiting for the agent's one nvidia-smi run; this is the last
    /// attempt's answer. It says nothing was written on the node (<see cref="ApiProblemException.NothingWrittenOn"/>), so
    /// the injection's blast-radius reservation there is dropped as for a 4xx refusal: the agent throws it before it
    /// writes or reserves anything, and after its replay lookup, so an attempt of the same call that wrote before is
    /// answered as a replay, never as pending (FaultInjectionService.InjectXidCoreAsync).
    /// </summary>
    private static ApiProblemException BoardSerialPending(AgentEndpoint agent, RpcException exception, ErrorInfo info, RetryInfo? retry) =>
        WithRetryAfter(agent, exception, StatusCodes.Status503ServiceUnavailable, "GPU board serial pending", BoardSerialPendingType, info, retry, nothingWritten: true, "pci_bus_id");

    /// <summary>
    /// An agent's refusal after which nothing of the injection is in its kernel log or its registry (UNAVAILABLE, ErrorInfo
    /// KERNEL_LOG_RECORD_LOST: the kernel dropped the first record, which it stores inside write() or never, so no reader
    /// of the log saw it; or STATE_DIRECTORY_UNWRITABLE: the journal refused the intent, before the kernel log is written):
    /// 503 with <c>reason</c>, after the channel's attempts (this is the last one's answer). Nothing was written on the
    /// node — unless the agent names DCGM values it wrote before the refusal and took back
    /// (<c>dcgm_fields_taken_back</c>: a monitor may have read them) — so the node is in
    /// <see cref="ApiProblemException.NothingWrittenOn"/> and its blast-radius reservation is dropped as for a 4xx refusal;
    /// with DCGM values taken back it is kept until the call's deadline like any other 5xx. An attempt of the same call
    /// that wrote before is answered as a replay (the agent's replay lookup comes first), never with this refusal.
    /// </summary>
    private static ApiProblemException NothingRecorded(AgentEndpoint agent, RpcException exception, ErrorInfo info)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["node_name"] = agent.NodeName,
            ["grpc_status"] = exception.StatusCode.ToString(),
            ["reason"] = info.Reason,
        };
        var takenBack = info.Metadata.GetValueOrDefault(DcgmFieldsTakenBackKey);
        if (takenBack is not null)
        {
            extensions[DcgmFieldsTakenBackKey] = takenBack;
        }

        return new ApiProblemException(
            StatusCodes.Status503ServiceUnavailable,
            info.Reason == KernelLogRecordLostReason ? "Kernel log record lost" : "Agent state directory unavailable",
            $"Agent on node '{agent.NodeName}': {exception.Status.Detail}",
            extensions: extensions,
            innerException: exception)
        {
            NothingWrittenOn = takenBack is null ? [agent.NodeName] : [],
        };
    }

    /// <summary>
    /// An agent's refusal that says when to try again: <c>node_name</c>, <c>grpc_status</c>, the ErrorInfo's
    /// <c>reason</c> and <paramref name="metadata"/> entries, and its RetryInfo (1 s without one) as <c>Retry-After</c>
    /// and <c>retry_after_seconds</c>; with <paramref name="nothingWritten"/>, the node in
    /// <see cref="ApiProblemException.NothingWrittenOn"/> (needed for a 5xx only: a 4xx says so by its status).
    /// </summary>
    private static ApiProblemException WithRetryAfter(AgentEndpoint agent, RpcException exception, int status, string title, string? type, ErrorInfo info, RetryInfo? retry, bool nothingWritten, params string[] metadata)
    {
        var retryAfter = retry?.RetryDelay?.ToTimeSpan() ?? TimeSpan.FromSeconds(1);
        var extensions = new Dictionary<string, object?>
        {
            ["node_name"] = agent.NodeName,
            ["grpc_status"] = exception.StatusCode.ToString(),
            ["reason"] = info.Reason,
        };
        foreach (var key in metadata)
        {
            extensions[key] = info.Metadata.GetValueOrDefault(key);
        }

        extensions["retry_after_seconds"] = ApiProblemEndpointFilter.RetryAfterSeconds(retryAfter);
        return new ApiProblemException(status, title, $"Agent on node '{agent.NodeName}': {exception.Status.Detail}", extensions: extensions, innerException: exception)
        {
            RetryAfter = retryAfter,
            Type = type,
            NothingWrittenOn = nothingWritten ? [agent.NodeName] : [],
        };
    }

    /// <summary>
    /// An injection whose write neither fully landed nor wrote nothing (UNKNOWN / DATA_LOSS, ErrorInfo
    /// INJECTION_OUTCOME_UNKNOWN or INJECTION_PARTIALLY_WRITTEN): 500 with its own <c>type</c>, never "nothing written"
    /// and never retried by the API, with the fault as the agent recorded it (the records that landed).
    /// </summary>
    private static ApiProblemException InjectionOutcome(AgentEndpoint agent, RpcException exception, ErrorInfo info, Fault? fault)
    {
        var unknown = info.Reason == OutcomeUnknownReason;
        return new ApiProblemException(
            StatusCodes.Status500InternalServerError,
            unknown ? "Injection outcome unknown" : "Injection partially written",
            $"Agent on node '{agent.NodeName}': {exception.Status.Detail}",
            extensions: new Dictionary<string, object?>
            {
                ["node_name"] = agent.NodeName,
                ["grpc_status"] = exception.StatusCode.ToString(),
                ["reason"] = info.Reason,
                ["fault_id"] = info.Metadata.GetValueOrDefault("fault_id"),
                ["fault"] = fault is null ? null : Faults.FaultResourceMapper.FromFault(fault),
            },
            innerException: exception)
        {
            Type = unknown ? OutcomeUnknownType : PartiallyWrittenType,
        };
    }

    public static string TitleFor(int status) => status switch
    {
        423 => "Locked",
        400 => "Bad request",
        401 => "Unauthenticated",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        429 => "Too many requests",
        499 => "Cancelled",
        501 => "Not implemented",
        502 => "Bad gateway",
        503 => "Service unavailable",
        504 => "Gateway timeout",
        500 => "Internal error",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error",
    };
}
