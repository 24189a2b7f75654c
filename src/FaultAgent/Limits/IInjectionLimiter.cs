namespace FaultAgent.Limits;

/// <summary>
/// Asked by <see cref="Injection.InjectionPipeline"/> under the registry's write gate, after the replay check and the emergency stop and just before an
/// injection is written: throws <see cref="InjectionLimitExceededException"/> when the node's limits refuse it (nothing
/// has been written then); otherwise the injection is counted.
/// </summary>
public interface IInjectionLimiter
{
    /// <param name="openFaults">Open faults on the node now.</param>
    /// <param name="nextExpiry">The earliest expiry among them, if any has a duration.</param>
    void Admit(int openFaults, DateTimeOffset? nextExpiry);

    /// <summary>
    /// Refuses as <see cref="Admit"/> would, counting nothing: asked before a surface that is written ahead of the registry
    /// (DCGM), so a refused injection never shows there even briefly.
    /// </summary>
    void Check(int openFaults, DateTimeOffset? nextExpiry);
}
