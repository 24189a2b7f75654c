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

    /// <summary>The kernel did not keep the injection's first record (<see cref="Injection.KernelLogRecordLostException"/>).</summary>
    public const string KernelLogRecordLost = "KERNEL_LOG_RECORD_LOST";

    /// <summary>The state directory cannot be written (<see cref="Registry.FaultRegistryStorageException"/>).</summary>
    public const string StateDirectoryUnwritable = "STATE_DIRECTORY_UNWRITABLE";

    /// <summary>
    /// The ErrorInfo metadata key (and problem extension) naming the DCGM fields an injection refused
    /// <see cref="KernelLogRecordLost"/> or <see cref="StateDirectoryUnwritable"/> had written before, and took back:
    /// present only then, and then the refusal is not "nothing written".
    /// </summary>
    public const string DcgmFieldsTakenBackKey = "dcgm_fields_taken_back";

    /// <summary>The field ids as <see cref="DcgmFieldsTakenBackKey"/> carries them: comma-separated.</summary>
    public static string DcgmFields(IReadOnlyList<int> fieldIds) => string.Join(",", fieldIds.Select(f => f.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A refusal's message, with the DCGM values it wrote before and took back named when there are any.</summary>
    public static string WithDcgmFieldsTakenBack(string message, IReadOnlyList<int> fieldIds)
    {
        ArgumentNullException.ThrowIfNull(fieldIds);
        return fieldIds.Count == 0
            ? message
            : $"{message} But DCGM field(s) {DcgmFields(fieldIds)} held the injected value(s) before this refusal (taken back since): a monitor may have read them.";
    }

    public static string Of(Limits.InjectionLimit limit) => limit == Limits.InjectionLimit.Rate ? InjectionRateLimited : ActiveFaultLimit;

    public static string Of(Registry.InjectionOutcomeException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.OutcomeUnknown ? OutcomeUnknown : PartiallyWritten;
    }
}
