namespace FaultAgent.Injection;

/// <summary>
/// Asked by <see cref="InjectionPipeline"/> while it holds the registry's write gate, just before an injection is
/// written: throws when injections are refused (the emergency stop). Nothing has been written when it throws.
/// </summary>
public interface IInjectionGuard
{
    void ThrowIfRefused();
}
