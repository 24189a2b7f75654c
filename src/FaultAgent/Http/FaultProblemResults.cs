using FaultAgent.Faults;
using FaultAgent.Injection;
using FaultAgent.Limits;
using FaultAgent.Registry;
using FaultAgent.EmergencyStop;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaultAgent.Http;

/// <summary>
/// The same domain errors as gRPC, as RFC 7807 problem details: 400 with field errors, 404, 409, 429 (with
/// <c>Retry-After</c>, set by <see cref="FaultProblemEndpointFilter"/>), 503 (nothing written; a board serial nvidia-smi has not yet
/// answered with its own type and <c>Retry-After</c>), 500 with its own type
/// for a write whose outcome is unknown or partial.
/// Field names are the HTTP body's (<c>xid_type</c> for the Xid).
/// </summary>
public static class FaultProblemResults
{
    public static IResult? ToProblem(Exception exception) => exception switch
    {
        InvalidRequestException invalid => TypedResults.ValidationProblem(
            invalid.Violations
                .GroupBy(v => HttpFieldName(v.Field))
                .ToDictionary(g => g.Key, g => g.Select(v => v.Description).ToArray()),
            detail: "The request is invalid; nothing was written.",
            title: "Invalid request"),
        HardwareNotFoundException notFound => Problem(StatusCodes.Status404NotFound, "GPU not found", notFound.Message),
        FaultNotFoundException notFound => Problem(StatusCodes.Status404NotFound, "Fault not found", notFound.Message),
        FaultRequestConflictException conflict => Problem(StatusCodes.Status409Conflict, "Already used by a different request", conflict.Message),
        KernelLogUnavailableException unavailable => Problem(StatusCodes.Status503ServiceUnavailable, "Kernel log unavailable", $"{unavailable.Message} Nothing was recorded."),
        BoardInfoPendingException pending => BoardSerialPendingProblem(pending),
        KernelLogRecordLostException lost => NothingRecordedProblem("Kernel log record lost", $"{lost.Message} Nothing was recorded; retry later.", FaultErrorReasons.KernelLogRecordLost, lost.DcgmFieldsTakenBack),
        FaultRegistryStorageException storage => NothingRecordedProblem("State directory unavailable", storage.Message, FaultErrorReasons.StateDirectoryUnwritable, storage.DcgmFieldsTakenBack),
        EmergencyStopEngagedException stopped => EmergencyStopProblem(stopped),
        EmergencyStopUnconfirmedException unconfirmed => TypedResults.Problem(
            detail: unconfirmed.Message,
            statusCode: StatusCodes.Status423Locked,
            title: "Emergency stop state unconfirmed",
            type: LockedType,
            extensions: new Dictionary<string, object?> { ["reason"] = FaultErrorReasons.EmergencyStopUnconfirmed }),
        InjectionLimitExceededException limited => LimitProblem(limited),
        InjectionOutcomeException outcome => OutcomeProblem(outcome),
        _ => null,
    };

    /// <summary>The problem type of 423 Locked (WebDAV, RFC 4918 section 11.3); ASP.NET Core has no default link for it.</summary>
    public const string LockedType = "https://www.rfc-editor.org/rfc/rfc4918#section-11.3";

    public const string OutcomeUnknownType = "urn:faultinjection:problem:injection-outcome-unknown";
    public const string PartiallyWrittenType = "urn:faultinjection:problem:injection-partially-written";

    /// <summary>An injection refused because nvidia-smi has not yet answered the GPU's board serial (503, nothing written).</summary>
    public const string BoardSerialPendingType = "urn:faultinjection:problem:board-serial-pending";

    public static string HttpFieldName(string field) => field == "xid" ? "xid_type" : field;

    /// <summary>423 Locked with <c>stopped_by</c>, <c>stopped_at</c> and <c>reason</c>.</summary>
    private static ProblemHttpResult EmergencyStopProblem(EmergencyStopEngagedException exception)
    {
        var state = exception.State;
        return TypedResults.Problem(
            detail: exception.Message,
            statusCode: StatusCodes.Status423Locked,
            title: "Emergency stop engaged",
            type: LockedType,
            extensions: new Dictionary<string, object?>
            {
                ["stopped_by"] = state.ChangedBy,
                ["stopped_at"] = state.ChangedAt,
                ["reason"] = state.Reason,
            });
    }

    /// <summary>429 with the limit's reason; <see cref="FaultProblemEndpointFilter"/> sets the <c>Retry-After</c> header.</summary>
    private static ProblemHttpResult LimitProblem(InjectionLimitExceededException exception) =>
        RetryProblem(
            exception,
            StatusCodes.Status429TooManyRequests,
            exception.Limit == InjectionLimit.Rate ? "Injection rate limit" : "Active fault limit",
            type: null,
            new Dictionary<string, object?> { ["reason"] = FaultErrorReasons.Of(exception.Limit), ["retry_after_seconds"] = exception.RetryAfterSeconds });

    /// <summary>503 with its own type, <c>reason</c> and GPU; <see cref="FaultProblemEndpointFilter"/> sets the <c>Retry-After</c> header.</summary>
    private static ProblemHttpResult BoardSerialPendingProblem(BoardInfoPendingException exception) =>
        RetryProblem(
            exception,
            StatusCodes.Status503ServiceUnavailable,
            "GPU board serial pending",
            BoardSerialPendingType,
            new Dictionary<string, object?>
            {
                ["reason"] = FaultErrorReasons.BoardSerialPending,
                ["pci_bus_id"] = exception.PciBusId,
                ["retry_after_seconds"] = exception.RetryAfterSeconds,
            });

    /// <summary>
    /// 503 with <c>reason</c> for a refusal after which nothing of the injection is in the kernel log or the registry;
    /// <c>dcgm_fields_taken_back</c> (and the detail) name DCGM values it wrote before and took back, when there are any.
    /// </summary>
    private static ProblemHttpResult NothingRecordedProblem(string title, string detail, string reason, IReadOnlyList<int> dcgmFieldsTakenBack)
    {
        var extensions = new Dictionary<string, object?> { ["reason"] = reason };
        if (dcgmFieldsTakenBack.Count > 0)
        {
            extensions[FaultErrorReasons.DcgmFieldsTakenBackKey] = FaultErrorReasons.DcgmFields(dcgmFieldsTakenBack);
        }

        return TypedResults.Problem(detail: FaultErrorReasons.WithDcgmFieldsTakenBack(detail, dcgmFieldsTakenBack), statusCode: StatusCodes.Status503ServiceUnavailable, title: title, extensions: extensions);
    }

    /// <summary>A refusal that says when to try again (its extensions carry <c>retry_after_seconds</c>), the exception's message as detail.</summary>
    private static ProblemHttpResult RetryProblem(Exception exception, int status, string title, string? type, Dictionary<string, object?> extensions) =>
        TypedResults.Problem(detail: exception.Message, statusCode: status, title: title, type: type, extensions: extensions);

    /// <summary>500 with its own type (never "nothing written"): the fault as recorded, with the records that landed.</summary>
    private static ProblemHttpResult OutcomeProblem(InjectionOutcomeException outcome)
    {
        return TypedResults.Problem(
            detail: outcome.Message,
            statusCode: StatusCodes.Status500InternalServerError,
            title: outcome.OutcomeUnknown ? "Injection outcome unknown" : "Injection partially written",
            type: outcome.OutcomeUnknown ? OutcomeUnknownType : PartiallyWrittenType,
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = FaultErrorReasons.Of(outcome),
                ["fault_id"] = outcome.Fault.FaultId,
                ["fault"] = FaultResource.From(outcome.Fault),
            });
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
