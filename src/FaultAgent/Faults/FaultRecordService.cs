using FaultAgent.Dcgm;
using FaultAgent.Registry;

namespace FaultAgent.Faults;

/// <summary>
/// Reads and clears the node's recorded faults, the same for both adapters (gRPC and HTTP): checks the fault id and the
/// clear reason, ends the fault in the registry and takes back what it wrote on the DCGM surface.
/// </summary>
public sealed class FaultRecordService(FaultRegistry registry, DcgmFaultService dcgm)
{
    public const int MaxReasonLength = 256;

    /// <exception cref="InvalidRequestException">The fault id is missing or malformed.</exception>
    /// <exception cref="FaultNotFoundException">No such fault on this node.</exception>
    public async ValueTask<FaultRecord> GetAsync(string faultId, CancellationToken cancellationToken)
    {
        var violations = new List<FaultFieldViolation>();
        RequireFaultId(faultId, violations);
        FaultRequestValidator.ThrowIfAny(violations);
        return await registry.GetAsync(faultId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends an active fault as cleared by <paramref name="caller"/> (ended reason "cleared by &lt;caller&gt;[: reason]"),
    /// then takes back its DCGM values; a fault that already ended is returned as it is.
    /// </summary>
    /// <exception cref="InvalidRequestException">The fault id is missing or malformed, or the reason is not printable text of at most 256 characters.</exception>
    public async Task<FaultRecord> ClearAsync(string faultId, string? reason, string caller, CancellationToken cancellationToken)
    {
        var violations = new List<FaultFieldViolation>();
        RequireFaultId(faultId, violations);
        FaultRequestValidator.CheckText("reason", reason, MaxReasonLength, violations);
        FaultRequestValidator.ThrowIfAny(violations);
        var endedReason = string.IsNullOrWhiteSpace(reason) ? $"cleared by {caller}" : $"cleared by {caller}: {reason}";
        var fault = await registry.ClearAsync(faultId, endedReason, caller, cancellationToken).ConfigureAwait(false);
        return await dcgm.TakeBackAsync(fault, cancellationToken).ConfigureAwait(false);
    }

    private static void RequireFaultId(string faultId, List<FaultFieldViolation> violations)
    {
        if (string.IsNullOrEmpty(faultId))
        {
            violations.Add(new("fault_id", "is required"));
        }

        FaultRequestValidator.CheckFaultId(faultId, violations);
    }
}
