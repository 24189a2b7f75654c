namespace FaultAgent.Registry;

/// <summary>
/// Told, at the registry's start, what the journal says was written in this boot: after a crash's pending entries were
/// resolved against the kernel log, before anything is expired or pruned (an ended fault may be pruned at this very
/// start). <see cref="Injection.GpuPreambleLedger"/> learns from it which GPUs' preamble an agent stopped before it saved
/// them had already written.
/// </summary>
public interface IRecoveredFaultsListener
{
    /// <param name="bootId">This boot's id.</param>
    /// <param name="faults">Every fault of this boot the registry holds, open or ended, as recorded or as just resolved.</param>
    /// <param name="unresolved">The planned faults of this boot's pending entries that could not be resolved (the kernel log could not be read): written or not, unknown.</param>
    /// <param name="cancellationToken">The start's token.</param>
    Task RecoveredAsync(string bootId, IReadOnlyList<FaultRecord> faults, IReadOnlyList<FaultRecord> unresolved, CancellationToken cancellationToken);
}
