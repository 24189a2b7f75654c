using FaultAgent.Hosting;
using FaultAgent.Paging;
using FaultAgent.Registry;
using FaultAgent.EmergencyStop;
using Microsoft.Extensions.Options;

namespace FaultAgent.Audit;

/// <summary>
/// The node's audit events, read from what the agent already persists: each fault record (injected by <c>caller</c>;
/// ended by <c>ended_by</c> with <c>ended_reason</c>) and the emergency-stop history. Kept as long as the records are
/// (<c>Agent:Registry:EndedRetention</c> / <c>MaxEndedRecords</c>) and the last <see cref="EmergencyStopStore.MaxHistory"/> stop changes.
/// </summary>
public sealed class AgentAuditTrail(FaultRegistry registry, EmergencyStopStore stopStore, IOptions<AgentOptions> options)
{
    private readonly string _nodeName = options.Value.NodeName;

    /// <summary>Events at or after <paramref name="since"/> (every kept one when null), oldest first.</summary>
    public async Task<IReadOnlyList<AgentAuditEvent>> ListAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var faults = await registry.ListAsync(activeOnly: false, cancellationToken).ConfigureAwait(false);
        var events = new List<AgentAuditEvent>();
        foreach (var fault in faults)
        {
            var target = fault.Kind == FaultKind.Sxid ? $"{fault.NodeName}/nvswitch{fault.NvSwitch}" : $"{fault.NodeName}/gpu{fault.GpuId}";
            var injected = fault.WriteOutcome switch
            {
                FaultWriteOutcome.Unknown => "outcome_unknown",
                FaultWriteOutcome.PartiallyWritten => "partially_written",
                _ => "injected",
            };
            events.Add(new AgentAuditEvent(fault.InjectedAt, "inject", fault.Caller, fault.FaultId, target, injected, fault.FaultType));
            if (!fault.State.IsOpen() && fault.EndedAt is { } endedAt)
            {
                var (action, result) = fault.State switch
                {
                    FaultState.Cleared => ("clear", "cleared"),
                    FaultState.ResolvedByReboot => ("reboot", "resolved_by_reboot"),
                    _ when fault.EndedBy is not null => ("stop", "expired"),
                    _ => ("expire", "expired"),
                };
                events.Add(new AgentAuditEvent(endedAt, action, fault.EndedBy ?? "", fault.FaultId, target, result, fault.EndedReason ?? ""));
            }
        }

        foreach (var change in stopStore.History)
        {
            events.Add(new AgentAuditEvent(change.ChangedAt, change.Engaged ? "stop" : "release", change.ChangedBy, "", _nodeName, change.Engaged ? "engaged" : "released", change.Reason));
        }

        return [.. events.Where(e => since is null || e.At >= since).OrderBy(e => e.At)];
    }

    /// <summary>
    /// One page of the events at or after <paramref name="since"/>, oldest first (by time, then action, fault id, target,
    /// caller and result: the page token's cursor, which also holds <paramref name="since"/>).
    /// </summary>
    public async Task<Page<AgentAuditEvent>> PageAsync(DateTimeOffset? since, PageRequest page, CancellationToken cancellationToken)
    {
        var events = await ListAsync(since, cancellationToken).ConfigureAwait(false);
        var filter = since is { } from ? "since=" + Paginator.Number(from.UtcTicks) : "";
        return Paginator.Take(events, e => [Paginator.Number(e.At.UtcTicks), e.Action, e.FaultId, e.Target, e.Caller, e.Result], page, "audit", filter);
    }
}
