using FaultApi.Agents;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;

namespace FaultApi.EmergencyStop;

/// <summary>
/// The stop on the agents' side: asks every agent for its copy (<c>GetEmergencyStop</c>) or pushes a state to each
/// (<c>SetEmergencyStop</c>), and shapes each answer into an <see cref="AgentStopCopy"/> — acknowledged when the agent holds
/// the state expected; an agent's version more than a day ahead is ignored — and the copies into the
/// <see cref="StopResource"/> the routes answer with. Holds no state of its own.
/// </summary>
internal sealed class AgentStopPropagation(AgentGateway agents, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>The caller the agents record for the API's own reads, and for pushes of a state nobody named.</summary>
    public const string ReconcilerCaller = "emergency-stop-reconciler";

    /// <summary>The state with every agent's acknowledgement, ordered by node; the nodes still expiring faults under an engaged stop.</summary>
    public static StopResource Resource(StopState state, IEnumerable<AgentStopCopy> copies)
    {
        var acknowledgements = copies.Select(c => c.Ack).OrderBy(a => a.NodeName, StringComparer.Ordinal).ToList();
        return new StopResource(
            state.Engaged,
            state.ChangedBy,
            state.Version == 0 ? null : state.ChangedAt,
            state.Reason,
            state.Version,
            acknowledgements,
            [.. acknowledgements.Where(a => a.Engaged == true && a.ExpiringFaults > 0).Select(a => a.NodeName)],
            []);
    }

    /// <summary>The acknowledgement of an agent that holds <paramref name="held"/> (null: it did not answer, <paramref name="error"/> says why).</summary>
    public static AgentStopAcknowledgement Acknowledgement(string nodeName, StopState expected, EmergencyStopState? held, NodeError? error) =>
        held is null
            ? new AgentStopAcknowledgement(nodeName, false, null, null, error?.Message ?? "no answer")
            : new AgentStopAcknowledgement(
                nodeName,
                held.Version == expected.Version && held.Engaged == expected.Engaged,
                held.Engaged,
                held.Version,
                null,
                held.Engaged ? held.ExpiringFaults : 0,
                string.IsNullOrEmpty(held.ExpiryError) ? null : held.ExpiryError);

    /// <summary>Each agent's copy of the stop, acknowledged when it holds <paramref name="expected"/>.</summary>
    public async Task<List<AgentStopCopy>> AskAsync(IReadOnlyList<AgentEndpoint> endpoints, StopState expected, CancellationToken cancellationToken)
    {
        var gathered = await agents.GatherAsync(endpoints, (agent, ct) => agents.GetEmergencyStopAsync(agent, ReconcilerCaller, ct), cancellationToken).ConfigureAwait(false);
        return [.. gathered.Outcomes.Select(o => Copy(o.Agent, expected, o.Response, o.Error))];
    }

    /// <summary>Sets <paramref name="state"/> on every agent in <paramref name="endpoints"/>; each agent's copy after it (logged).</summary>
    public async Task<List<AgentStopCopy>> PushAsync(IReadOnlyList<AgentEndpoint> endpoints, StopState state, CancellationToken cancellationToken)
    {
        var held = new EmergencyStopState
        {
            Engaged = state.Engaged,
            ChangedBy = state.ChangedBy,
            ChangedAt = Timestamp.FromDateTimeOffset(state.ChangedAt),
            Reason = state.Reason,
            Version = state.Version,
        };
        var caller = string.IsNullOrEmpty(state.ChangedBy) ? ReconcilerCaller : state.ChangedBy;
        var gathered = await agents.GatherAsync(endpoints, (agent, ct) => agents.SetEmergencyStopAsync(agent, held, caller, ct), cancellationToken).ConfigureAwait(false);
        var copies = new List<AgentStopCopy>(gathered.Outcomes.Count);
        foreach (var outcome in gathered.Outcomes)
        {
            var copy = Copy(outcome.Agent, state, outcome.Response, outcome.Error);
            if (copy.Ack.Acknowledged)
            {
                StopLog.Pushed(logger, copy.Ack.NodeName, state.Version);
            }
            else
            {
                StopLog.PushFailed(logger, copy.Ack.NodeName, state.Version, copy.Ack.Error ?? $"it holds version {copy.Ack.Version}");
            }

            copies.Add(copy);
        }

        return copies;
    }

    private AgentStopCopy Copy(AgentEndpoint agent, StopState expected, EmergencyStopState? held, NodeError? error)
    {
        StopState? state = null;
        if (held is not null)
        {
            if (held.Version == 0 || StopState.IsVersionAcceptable(held.Version, timeProvider.GetUtcNow()))
            {
                state = new StopState(held.Engaged, held.ChangedBy, held.ChangedAt?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch, held.Reason, held.Version);
            }
            else
            {
                StopLog.AgentVersionOutOfBounds(logger, agent.NodeName, held.Version);
            }
        }

        return new AgentStopCopy(agent, Acknowledgement(agent.NodeName, expected, held, error), state, held);
    }
}
