using FaultApi.Agents;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultApi.Storage;
using FaultInjection.Agent.V1;
using Microsoft.Extensions.Logging;

namespace FaultApi.Suites;

/// <summary>Clears a suite drill's fault on its node once the drill has its verdict (or was cancelled), so a suite leaves no fault behind.</summary>
public sealed class SuiteFaultCleaner(AgentRouter router, AgentGateway agents, ILogger<SuiteFaultCleaner> logger)
{
    /// <summary>Clears <paramref name="drill"/>'s fault; a fault already gone, or a node without a ready agent, is logged and left.</summary>
    public async Task ClearAsync(string suiteId, SuiteDrill drill, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drill);
        if (string.IsNullOrEmpty(drill.FaultId))
        {
            return;
        }

        try
        {
            var agent = router.Resolve(drill.NodeName);
            await agents.ClearAsync(agent, drill.FaultId, $"suite {suiteId}: drill {drill.DrillId} {drill.State.JsonName()}", caller, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiProblemException problem)
        {
            SuitesLog.ClearFailed(logger, suiteId, drill.FaultId, drill.NodeName, $"{problem.Status} {problem.Title}: {problem.Message}");
        }
    }
}
