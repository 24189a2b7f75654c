using System.Globalization;
using FaultApi.Agents;
using FaultApi.Faults;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// A drill's injection through the agent (<see cref="FaultInjector"/>: the emergency stop, the blast radius and the
/// agent's own checks apply as to any injection, under the drill's fault id and idempotency key): sent while the
/// follower keeps this replica's lease, sent again when its outcome is unknown, and confirmed into the drill (the
/// <c>injected</c> step and the real t0). A resumed drill's injection that was in flight when its replica stopped is
/// sent again and confirmed, or the drill fails naming why.
/// </summary>
public sealed class DrillInjection(
    AgentRouter router,
    FaultInjector injector,
    IOptions<AgentsOptions> agents,
    TimeProvider time,
    ILogger<DrillService> logger)
{
    /// <summary>
    /// Sends the drill's injection; when a send's outcome is unknown (<see cref="DrillInjectionOutcome.CanResend"/>: the
    /// request may have reached the agent, its answer was lost) sends the same injection again (the same fault id and
    /// idempotency key: the agent answers from its registry if it wrote it), at most
    /// <see cref="DrillInjectionOutcome.MaxSends"/> times in all and not after <c>Agents:CallTimeoutSeconds</c> from the
    /// first send. The last failure is thrown.
    /// </summary>
    public async Task<FaultResource> SendAsync(DrillFollower follower, DrillRecord drill, string caller, CancellationToken cancellationToken)
    {
        var firstSent = time.GetUtcNow();
        var window = TimeSpan.FromSeconds(agents.Value.CallTimeoutSeconds);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await InjectHoldingTheLeaseAsync(follower, drill, caller, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DrillInjectionOutcome.CanResend(ex)
                && attempt < DrillInjectionOutcome.MaxSends && time.GetUtcNow() - firstSent < window)
            {
                DrillsLog.ResendingInjection(logger, ex, drill.DrillId, attempt);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The injection, while <paramref name="follower"/> keeps this replica's lease on the drill (a DCGM surface can take longer than the lease).</summary>
    private async Task<FaultResource> InjectHoldingTheLeaseAsync(DrillFollower follower, DrillRecord drill, string caller, CancellationToken cancellationToken)
    {
        using var injecting = new CancellationTokenSource();
        var lease = follower.HoldLeaseAsync(injecting.Token);
        try
        {
            return await InjectAsync(drill, caller, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await injecting.CancelAsync().ConfigureAwait(false);
            await lease.ConfigureAwait(false);
        }
    }

    private async Task<FaultResource> InjectAsync(DrillRecord drill, string caller, CancellationToken cancellationToken)
    {
        var target = new InjectionTarget(drill.NodeName, null, null, null, drill.FaultId, DryRun: false);
        AgentInjection injection = drill.Kind == "sxid"
            ? new SxidInjection(new InjectSxidRequest { Sxid = drill.Code, Nvswitch = drill.Nvswitch ?? 0, Link = drill.Link ?? 0, Message = drill.Message ?? "", Surfaces = { drill.Surfaces } })
            : new XidInjection(new InjectXidRequest { Xid = drill.Code, GpuId = drill.GpuId ?? 0, Message = drill.Message ?? "", Surfaces = { drill.Surfaces } });
        var faults = await injector.InjectAsync(target, caller, $"drill-{drill.DrillId}", injection, cancellationToken).ConfigureAwait(false);
        return faults[0];
    }

    /// <summary>
    /// For a resumed drill whose injection was in flight when its replica stopped: sends the same injection again (the
    /// drill's fault id and idempotency key), which the agent answers from its registry when it wrote it (a replay, nothing
    /// written twice) and writes otherwise, and confirms it. Refused (4xx: the emergency stop, the blast radius, the agent),
    /// or not confirmed within the drill's timeout, the drill fails naming why. True to follow the drill, false when this
    /// replica stops meanwhile (the drill is released again, unconfirmed).
    /// </summary>
    public async Task<bool> ConfirmResumedAsync(DrillFollower follower, DrillRecord drill, CancellationToken stopping)
    {
        var attempt = 0;
        while (true)
        {
            try
            {
                var agent = router.Resolve(drill.NodeName);
                var fault = await InjectHoldingTheLeaseAsync(follower, drill, drill.Caller, stopping).ConfigureAwait(false);
                // Its deadline counts from the injection found, not from this resume.
                Confirm(follower, fault, agent.PodName, TimeSpan.FromSeconds(drill.TimeoutSeconds));
                DrillsLog.InjectionConfirmed(logger, drill.DrillId, fault.FaultId, fault.Replayed);
                return true;
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                await follower.ReleaseAsync("the API stopped while confirming the injection; lease released").ConfigureAwait(false);
                return false;
            }
            catch (ApiProblemException problem) when (problem.Status is >= 400 and < 500)
            {
                follower.NotInjected($"The API stopped while the injection was in flight, and sending it again was refused ({problem.Title}: {problem.Message}); nothing was measured.");
                return true;
            }
            catch (Exception ex) when (ex is ApiProblemException or HttpOperationException or HttpRequestException)
            {
                if (time.GetUtcNow() - drill.CreatedAt > TimeSpan.FromSeconds(drill.TimeoutSeconds))
                {
                    follower.NotInjected($"The API stopped while the injection was in flight, and it could not be confirmed within the drill's timeout ({ex.Message}); nothing was measured.");
                    return true;
                }

                // Routing not synced yet after a restart, the agent restarting: try again shortly.
                DrillsLog.ConfirmFailed(logger, ex, drill.DrillId);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 250 << Math.Min(attempt++, 5))), time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await follower.ReleaseAsync("the API stopped while confirming the injection; lease released").ConfigureAwait(false);
                return false;
            }
        }
    }

    /// <summary>Records the agent's proof of the injection in the drill (the <c>injected</c> step) and its real t0 (and the deadline <paramref name="timeout"/> after it, when given).</summary>
    public void Confirm(DrillFollower follower, FaultResource fault, string agentPod, TimeSpan? timeout = null)
    {
        // The Xid's own record (the driver's preamble and follow-up lines may surround it).
        var record = fault.Records.FirstOrDefault(r => r.Text.EndsWith(fault.Line, StringComparison.Ordinal)) ?? (fault.Records.Count > 0 ? fault.Records[0] : null);
        var t0 = record?.ObservedAt ?? fault.InjectedAt ?? time.GetUtcNow();
        follower.Confirm(t0, d =>
        {
            d.FaultId = fault.FaultId;
            d.Line = fault.Line;
            d.KernelTimestampUs = record?.TimestampUs;
            d.KernelSequence = record?.Sequence;
            if (timeout is { } after)
            {
                d.Deadline = t0 + after;
            }

            var details = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["fault_id"] = fault.FaultId,
                ["line"] = fault.Line,
                ["kernel_timestamp_us"] = (record?.TimestampUs ?? 0).ToString(CultureInfo.InvariantCulture),
                ["kernel_sequence"] = (record?.Sequence ?? 0).ToString(CultureInfo.InvariantCulture),
                ["agent_pod"] = agentPod,
            };
            foreach (var write in fault.DcgmWrites)
            {
                // e.g. dcgm_field_230 = "79 read back from DCGM GPU 1 (localhost)"
                details[$"dcgm_field_{write.FieldId.ToString(CultureInfo.InvariantCulture)}"] = $"{write.ReadBack} read back from DCGM GPU {write.DcgmGpuId.ToString(CultureInfo.InvariantCulture)} ({write.HostEngine})";
            }

            d.Steps.Add(new DrillStep("injected", t0, 0, details));
        });
    }
}
