namespace FaultApi.Suites;

/// <summary>
/// The Kubernetes API server refused a save of a suite's record for what it holds (<see cref="Storage.StoreRefusal"/>:
/// e.g. 422, the ConfigMap over 1 MiB): the run cannot go on, since every later save would be refused too.
/// </summary>
public sealed class SuiteRecordRefusedException : Exception
{
    /// <summary>How the reason of a suite ended for such a refusal begins, and the reason its running drills are cancelled with.</summary>
    public const string EndReason = "the suite's record could not be saved";

    /// <summary>True for a reason that begins with <see cref="EndReason"/>: a drill its suite's runner cancelled for such a refusal.</summary>
    public static bool IsEndReason(string? reason) => reason?.StartsWith(EndReason, StringComparison.Ordinal) == true;

    public SuiteRecordRefusedException()
    {
    }

    public SuiteRecordRefusedException(string message)
        : base(message)
    {
    }

    public SuiteRecordRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
