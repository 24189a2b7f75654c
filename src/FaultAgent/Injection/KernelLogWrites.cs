namespace FaultAgent.Injection;

/// <summary>Writes to an <see cref="IKernelLog"/> that need no write-ahead step (tools, benchmarks, tests of the log itself).</summary>
public static class KernelLogWrites
{
    /// <summary><see cref="IKernelLog.WriteVerifiedAsync"/> without a step before the write.</summary>
    public static Task<IReadOnlyList<KernelLogRecord>> WriteVerifiedAsync(this IKernelLog kernelLog, IReadOnlyList<KernelLogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kernelLog);
        return kernelLog.WriteVerifiedAsync(lines, beforeWrite: null, cancellationToken);
    }
}
