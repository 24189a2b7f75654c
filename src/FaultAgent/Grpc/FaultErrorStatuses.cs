using System.Globalization;
using FaultAgent.BugReports;
using FaultAgent.Dcgm;
using FaultAgent.Faults;
using FaultAgent.Injection;
using FaultAgent.Limits;
using FaultAgent.Registry;
using FaultAgent.EmergencyStop;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace FaultAgent.Grpc;

/// <summary>
/// The rich gRPC statuses of <see cref="FaultErrorInterceptor"/>'s table: each refusal or failure with its status code
/// and google.rpc details (ErrorInfo in <see cref="FaultErrorReasons.Domain"/>, RetryInfo, QuotaFailure, the Fault).
/// </summary>
public static class FaultErrorStatuses
{
    /// <summary>FAILED_PRECONDITION with ErrorInfo <c>EMERGENCY_STOP</c> (metadata <c>stopped_by</c>, <c>stopped_at</c>, <c>reason</c>).</summary>
    public static RpcException EmergencyStop(EmergencyStopEngagedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var state = exception.State;
        var status = new Google.Rpc.Status { Code = (int)Code.FailedPrecondition, Message = exception.Message };
        status.Details.Add(Any.Pack(new ErrorInfo
        {
            Reason = FaultErrorReasons.EmergencyStop,
            Domain = FaultErrorReasons.Domain,
            Metadata =
            {
                ["stopped_by"] = state.ChangedBy,
                ["stopped_at"] = state.ChangedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["reason"] = state.Reason,
            },
        }));
        return status.ToRpcException();
    }

    /// <summary>FAILED_PRECONDITION with ErrorInfo <c>EMERGENCY_STOP_UNCONFIRMED</c> (metadata <c>version</c>: the released state held, unconfirmed).</summary>
    public static RpcException EmergencyStopUnconfirmed(EmergencyStopUnconfirmedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = new Google.Rpc.Status { Code = (int)Code.FailedPrecondition, Message = exception.Message };
        status.Details.Add(Any.Pack(new ErrorInfo
        {
            Reason = FaultErrorReasons.EmergencyStopUnconfirmed,
            Domain = FaultErrorReasons.Domain,
            Metadata = { ["version"] = exception.State.Version.ToString(CultureInfo.InvariantCulture) },
        }));
        return status.ToRpcException();
    }

    /// <summary>The failure's status code (<see cref="FaultStatusCodes"/>) with ErrorInfo <c>DCGM_*</c> (metadata <c>host_engine</c>), which the API answers as 502.</summary>
    public static RpcException Dcgm(DcgmException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = new Google.Rpc.Status { Code = (int)FaultStatusCodes.For(exception), Message = exception.Message };
        status.Details.Add(Any.Pack(new ErrorInfo
        {
            Reason = exception.Reason,
            Domain = FaultErrorReasons.Domain,
            Metadata = { ["host_engine"] = exception.HostEngine.Length == 0 ? "localhost" : exception.HostEngine },
        }));
        return status.ToRpcException();
    }

    /// <summary>
    /// RESOURCE_EXHAUSTED with RetryInfo (retry_delay), QuotaFailure (subject <c>node:&lt;name&gt;</c>) and ErrorInfo
    /// (<c>INJECTION_RATE_LIMITED</c> or <c>ACTIVE_FAULT_LIMIT</c>, metadata <c>retry_after_seconds</c>).
    /// </summary>
    public static RpcException InjectionLimit(InjectionLimitExceededException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return NodeLimit(
            exception.Message,
            exception.NodeName,
            exception.Limit == Limits.InjectionLimit.Rate ? "Agent:Limits:InjectionsPerSecond / InjectionBurst" : "Agent:Limits:MaxActiveFaults",
            FaultErrorReasons.Of(exception.Limit),
            exception.RetryAfter,
            exception.RetryAfterSeconds,
            limit: null);
    }

    /// <summary>
    /// RESOURCE_EXHAUSTED for a download past <c>Agent:BugReports:MaxConcurrentDownloads</c>: RetryInfo, QuotaFailure
    /// (subject <c>node:&lt;name&gt;</c>) and ErrorInfo <c>BUG_REPORT_DOWNLOAD_LIMIT</c> (metadata <c>limit</c>,
    /// <c>retry_after_seconds</c>), the shape of the injection limits', so the API answers it as a 429 the same way.
    /// </summary>
    public static RpcException BugReportDownloadLimit(BugReportDownloadLimitException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var retryAfter = BugReportDownloadLimitException.RetryAfter;
        return NodeLimit(
            exception.Message,
            exception.NodeName,
            "Agent:BugReports:MaxConcurrentDownloads",
            FaultErrorReasons.BugReportDownloadLimit,
            retryAfter,
            RetryDelay.WholeSeconds(retryAfter),
            exception.Limit);
    }

    /// <summary>
    /// The one shape of a node limit's refusal: RESOURCE_EXHAUSTED with RetryInfo (<paramref name="retryAfter"/>),
    /// QuotaFailure (subject <c>node:&lt;name&gt;</c>, the setting as its description) and ErrorInfo
    /// <paramref name="reason"/> (metadata <c>limit</c> when given, then <c>retry_after_seconds</c>).
    /// </summary>
    private static RpcException NodeLimit(string message, string nodeName, string setting, string reason, TimeSpan retryAfter, long retryAfterSeconds, int? limit)
    {
        var status = new Google.Rpc.Status { Code = (int)Code.ResourceExhausted, Message = message };
        status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }));
        status.Details.Add(Any.Pack(new QuotaFailure
        {
            Violations = { new QuotaFailure.Types.Violation { Subject = "node:" + nodeName, Description = setting } },
        }));
        var info = new ErrorInfo { Reason = reason, Domain = FaultErrorReasons.Domain };
        if (limit is { } value)
        {
            info.Metadata["limit"] = value.ToString(CultureInfo.InvariantCulture);
        }

        info.Metadata["retry_after_seconds"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        status.Details.Add(Any.Pack(info));
        return status.ToRpcException();
    }

    /// <summary>
    /// UNAVAILABLE (the API sends the injection again on it) for a refusal after which nothing of the injection is in the
    /// kernel log or the registry: ErrorInfo <paramref name="reason"/> (<c>KERNEL_LOG_RECORD_LOST</c>,
    /// <c>STATE_DIRECTORY_UNWRITABLE</c>) and, when the injection wrote DCGM values before it and took them back,
    /// metadata <c>dcgm_fields_taken_back</c> (then it is not "nothing written": DCGM showed them meanwhile).
    /// </summary>
    public static RpcException NothingRecorded(string message, string reason, IReadOnlyList<int> dcgmFieldsTakenBack)
    {
        ArgumentNullException.ThrowIfNull(dcgmFieldsTakenBack);
        var status = new Google.Rpc.Status { Code = (int)Code.Unavailable, Message = FaultErrorReasons.WithDcgmFieldsTakenBack(message, dcgmFieldsTakenBack) };
        var info = new ErrorInfo { Reason = reason, Domain = FaultErrorReasons.Domain };
        if (dcgmFieldsTakenBack.Count > 0)
        {
            info.Metadata[FaultErrorReasons.DcgmFieldsTakenBackKey] = FaultErrorReasons.DcgmFields(dcgmFieldsTakenBack);
        }

        status.Details.Add(Any.Pack(info));
        return status.ToRpcException();
    }

    /// <summary>
    /// UNAVAILABLE (the API sends the injection again on it) for an injection whose board serial nvidia-smi has not yet
    /// answered: RetryInfo (when the shared run has answered or timed out) and ErrorInfo <c>BOARD_SERIAL_PENDING</c>
    /// (metadata <c>pci_bus_id</c>, <c>retry_after_seconds</c>). Nothing was written or reserved.
    /// </summary>
    public static RpcException BoardSerialPending(BoardInfoPendingException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = new Google.Rpc.Status { Code = (int)Code.Unavailable, Message = exception.Message };
        status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(exception.RetryAfter) }));
        status.Details.Add(Any.Pack(new ErrorInfo
        {
            Reason = FaultErrorReasons.BoardSerialPending,
            Domain = FaultErrorReasons.Domain,
            Metadata =
            {
                ["pci_bus_id"] = exception.PciBusId,
                ["retry_after_seconds"] = exception.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture),
            },
        }));
        return status.ToRpcException();
    }

    /// <summary>
    /// ABORTED for a download ended after <c>Agent:BugReports:DownloadIdleTimeout</c> without its caller taking a chunk, with
    /// ErrorInfo <c>BUG_REPORT_DOWNLOAD_IDLE</c> (metadata <c>report_id</c>, <c>idle_timeout_seconds</c>). Not DEADLINE_EXCEEDED:
    /// that is the caller's own deadline to gRPC clients (and to the API, whose 504 says the agent did not answer in time);
    /// the agent ended the call, and the caller may start it again (ABORTED: retry at a higher level).
    /// </summary>
    public static RpcException BugReportDownloadIdle(BugReportDownloadIdleException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = new Google.Rpc.Status { Code = (int)Code.Aborted, Message = exception.Message };
        status.Details.Add(Any.Pack(new ErrorInfo
        {
            Reason = FaultErrorReasons.BugReportDownloadIdle,
            Domain = FaultErrorReasons.Domain,
            Metadata =
            {
                ["report_id"] = exception.ReportId,
                ["idle_timeout_seconds"] = exception.IdleTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            },
        }));
        return status.ToRpcException();
    }

    /// <summary>
    /// UNKNOWN (outcome unknown) or DATA_LOSS (partially written) with ErrorInfo (metadata <c>fault_id</c>, <c>state</c>,
    /// <c>records_landed</c>, <c>records_planned</c>) and the recorded Fault.
    /// </summary>
    public static RpcException InjectionOutcome(InjectionOutcomeException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var fault = exception.Fault;
        var status = new Google.Rpc.Status
        {
            Code = (int)(exception.OutcomeUnknown ? Code.Unknown : Code.DataLoss),
            Message = exception.Message,
        };
        status.Details.Add(Any.Pack(new ErrorInfo
        {
            Reason = FaultErrorReasons.Of(exception),
            Domain = FaultErrorReasons.Domain,
            Metadata =
            {
                ["fault_id"] = fault.FaultId,
                ["state"] = exception.OutcomeUnknown ? "outcome_unknown" : "partially_written",
                ["records_landed"] = fault.Records.Count.ToString(CultureInfo.InvariantCulture),
                ["records_planned"] = (fault.Records.Count + fault.UnconfirmedRecords.Count).ToString(CultureInfo.InvariantCulture),
            },
        }));
        status.Details.Add(Any.Pack(fault.ToProto()));
        return status.ToRpcException();
    }
}
