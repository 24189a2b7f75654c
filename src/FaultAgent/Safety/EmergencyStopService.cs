using FaultAgent.Registry;
using Microsoft.Extensions.Logging;

namespace FaultAgent.Safety;

/// <summary>
/// Engages and releases the node's emergency stop: persists the state (<see cref="EmergencyStopStore"/>, which also refuses
/// injections through <see cref="IInjectionGuard"/>) and, on engaging, ends every active fault at once as expired with
/// <c>emergency stop by &lt;who&gt;: &lt;reason&gt;</c>.
/// </summary>
public sealed class EmergencyStopService(EmergencyStopStore store, FaultRegistry registry, ILogger<EmergencyStopService> logger)
{
    public EmergencyStopState Current => store.Current;

    public async Task<EmergencyStopState> SetAsync(EmergencyStopState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var (current, changed) = await store.ApplyAsync(state, cancellationToken).ConfigureAwait(false);
        if (current.Engaged)
        {
            // Also when unchanged: a repeated push finishes an end-all that an earlier call did not complete.
            var ended = await registry.EndAllActiveAsync(FaultState.Expired, current.EndedReason, current.ChangedBy, cancellationToken).ConfigureAwait(false);
            if (changed || ended.Count > 0)
            {
                SafetyLog.Engaged(logger, current.ChangedBy, current.Version, current.Reason, ended.Count);
            }
        }
        else if (changed)
        {
            SafetyLog.Released(logger, current.ChangedBy, current.Version);
        }

        return current;
    }
}
