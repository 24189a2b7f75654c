using FaultAgent.Registry;

namespace FaultAgent.Injection;

/// <summary>Resolves a crash's pending injection by reading the kernel log from the sequence it was about to be written at (<see cref="PendingInjectionResolution"/>).</summary>
public sealed class KernelLogPendingResolver(IKernelLog kernelLog, TimeProvider timeProvider) : IPendingInjectionResolver
{
    public async Task<FaultRecord?> ResolveAsync(FaultRecord planned, ulong fromSequence, ulong? beforeSequence, CancellationToken cancellationToken)
    {
        IReadOnlyList<KernelLogRecord> records;
        try
        {
            records = await kernelLog.ReadFromAsync(fromSequence, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KernelLogUnavailableException or IOException)
        {
            throw new PendingInjectionUnreadableException(e.Message, e);
        }

        return PendingInjectionResolution.Resolve(planned, fromSequence, beforeSequence, records, timeProvider.GetUtcNow());
    }
}
