using FaultAgent.BugReports;
using FaultAgent.Dcgm;
using FaultAgent.Faults;
using FaultAgent.HostProcesses;
using FaultAgent.Injection;
using FaultAgent.Limits;
using FaultAgent.Registry;
using FaultAgent.EmergencyStop;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FaultAgent.Grpc;

/// <summary>
/// Turns the domain's exceptions into gRPC statuses (with google.rpc.BadRequest field violations for bad input):
/// see <see cref="ToRpcException"/> for the table.
/// </summary>
public sealed class FaultErrorInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e) when (ToRpcException(e) is { } rpc)
        {
            throw rpc;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (ToRpcException(e) is { } rpc)
        {
            throw rpc;
        }
    }

    /// <summary>The status for a domain exception; null for anything else (left to the framework: INTERNAL/CANCELLED).</summary>
    public static RpcException? ToRpcException(Exception exception) => exception switch
    {
        InvalidRequestException invalid => InvalidArgument(invalid.Message, invalid.Violations),
        HardwareNotFoundException notFound => WithField(Code.NotFound, notFound.Message, notFound.Field),
        FaultNotFoundException notFound => WithField(Code.NotFound, notFound.Message, "fault_id"),
        FaultRequestConflictException conflict => WithField(Code.AlreadyExists, conflict.Message, conflict.Field),
        KernelLogUnavailableException unavailable => Status(Code.FailedPrecondition, $"The kernel log cannot be written: {unavailable.Message}. Nothing was recorded."),
        BoardInfoPendingException pending => FaultErrorStatuses.BoardSerialPending(pending),
        KernelLogRecordLostException lost => FaultErrorStatuses.NothingRecorded($"The kernel log did not keep the record: {lost.Message}. Nothing was recorded; retry later.", FaultErrorReasons.KernelLogRecordLost, lost.DcgmFieldsTakenBack),
        FaultRegistryStorageException storage => FaultErrorStatuses.NothingRecorded(storage.Message, FaultErrorReasons.StateDirectoryUnwritable, storage.DcgmFieldsTakenBack),
        BugReportNotFoundException notFound => WithField(Code.NotFound, notFound.Message, "report_id"),
        BugReportNotReadyException notReady => WithField(Code.FailedPrecondition, notReady.Message, "report_id"),
        BugReportDownloadLimitException downloads => FaultErrorStatuses.BugReportDownloadLimit(downloads),
        BugReportDownloadIdleException idle => FaultErrorStatuses.BugReportDownloadIdle(idle),
        HostCommandException host => Status((Code)FaultStatusCodes.For(host), host.Message),
        EmergencyStopEngagedException stopped => FaultErrorStatuses.EmergencyStop(stopped),
        EmergencyStopUnconfirmedException unconfirmed => FaultErrorStatuses.EmergencyStopUnconfirmed(unconfirmed),
        DcgmException dcgm => FaultErrorStatuses.Dcgm(dcgm),
        InjectionLimitExceededException limited => FaultErrorStatuses.InjectionLimit(limited),
        InjectionOutcomeException outcome => FaultErrorStatuses.InjectionOutcome(outcome),
        _ => null,
    };

    private static RpcException InvalidArgument(string message, IReadOnlyList<FaultFieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        var status = new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = message };
        status.Details.Add(Any.Pack(badRequest));
        return status.ToRpcException();
    }

    private static RpcException WithField(Code code, string message, string field)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        if (!string.IsNullOrEmpty(field))
        {
            status.Details.Add(Any.Pack(new ErrorInfo { Reason = code.ToString().ToUpperInvariant(), Domain = FaultErrorReasons.Domain, Metadata = { ["field"] = field } }));
        }

        return status.ToRpcException();
    }

    private static RpcException Status(Code code, string message) =>
        new Google.Rpc.Status { Code = (int)code, Message = message }.ToRpcException();
}
