namespace FaultAgent.Faults;

/// <summary>
/// The machine-readable reasons of the agent's refusals and failures, the same over gRPC (google.rpc.ErrorInfo
/// <c>reason</c> in <see cref="Domain"/>) and HTTP (the problem's <c>reason</c> extension).
/// </summary>
public static class FaultErrorReasons
{
    public const string Domain = "faultinjection.agent.v1";
    public const string EmergencyStop = "EMERGENCY_STOP";
    public const string EmergencyStopUnconfirmed = "EMERGENCY_STOP_UNCONFIRMED";
    public const string InjectionRateLimited = "INJECTION_RATE_LIMITED";
    public const string ActiveFaultLimit = "ACTIVE_FAULT_LIMIT";
    public const string OutcomeUnknown = "INJECTION_OUTCOME_UNKNOWN";
    public const string PartiallyWritten = "INJECTION_PARTIALLY_WRITTEN";
    public const string BugReportDownloadLimit = "BUG_REPORT_DOWNLOAD_LIMIT";
    public const string BugReportDownloadIdle = "BUG_REPORT_DOWNLOAD_IDLE";
    public const string BoardSerialPending = "BOARD_SERIAL_PENDING";

    public static string Of(Limits.InjectionLimit limit) => limit == Limits.InjectionLimit.Rate ? InjectionRateLimited : ActiveFaultLimit;

    public static string Of(Registry.InjectionOutcomeException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.OutcomeUnknown ? OutcomeUnknown : PartiallyWritten;
    }
}
