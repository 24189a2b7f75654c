namespace FaultAgent.Registry;

/// <summary>
/// An injection whose write ended neither fully verified nor "nothing written": <see cref="Fault"/> is recorded as
/// <see cref="FaultState.OutcomeUnknown"/> or <see cref="FaultState.PartiallyWritten"/> (and stays so recorded: a retry
/// with the same fault id or key gets this answer again, writing nothing). gRPC UNKNOWN / DATA_LOSS, HTTP 500, each
/// with its own reason and the fault.
/// </summary>
public sealed class InjectionOutcomeException : Exception
{
    public InjectionOutcomeException()
    {
    }

    public InjectionOutcomeException(string message)
        : base(message)
    {
    }

    public InjectionOutcomeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InjectionOutcomeException(FaultRecord fault, Exception? innerException = null)
        : base(Describe(fault), innerException)
    {
        Fault = fault;
    }

    public FaultRecord Fault { get; } = null!;

    public bool OutcomeUnknown => Fault.WriteOutcome == FaultWriteOutcome.Unknown;

    private static string Describe(FaultRecord fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var what = fault.WriteOutcome == FaultWriteOutcome.Unknown
            ? $"The outcome of fault '{fault.FaultId}' is unknown: a record may be in the kernel log but cannot be proven. It is NOT 'nothing written': do not retry blindly; the fault is recorded as outcome_unknown (clear it when done)."
            : $"Fault '{fault.FaultId}' was partially written: {fault.Records.Count} of {fault.Records.Count + fault.UnconfirmedRecords.Count} records landed. It is recorded as partially_written (clear it when done).";
        return $"{what} {fault.WriteError}";
    }
}
