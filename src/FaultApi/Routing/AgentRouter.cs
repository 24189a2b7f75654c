using FaultApi.Problems;
using Microsoft.AspNetCore.Http;

namespace FaultApi.Routing;

/// <summary>Finds the agent for a node or says clearly why there is none (unknown node 404, no agent 503, not synced 503).</summary>
public sealed class AgentRouter(IAgentDirectory directory)
{
    public IAgentDirectory Directory => directory;

    public AgentEndpoint Resolve(string nodeName)
    {
        EnsureReady();
        if (directory.TryGetAgent(nodeName, out var agent))
        {
            return agent;
        }

        var extensions = new Dictionary<string, object?> { ["node_name"] = nodeName };
        if (!directory.NodeExists(nodeName))
        {
            throw new ApiProblemException(StatusCodes.Status404NotFound, "Unknown node", $"There is no node named '{nodeName}'.", extensions: extensions);
        }

        throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "No agent on node", $"Node '{nodeName}' has no Running and Ready fault agent pod.", extensions: extensions);
    }

    public IReadOnlyList<AgentEndpoint> All()
    {
        EnsureReady();
        return directory.GetAll();
    }

    /// <summary>The agents a route's optional <c>?node=</c> names: every agent when it is null, else that node's (<see cref="Resolve"/>).</summary>
    public IReadOnlyList<AgentEndpoint> AllOrNode(string? nodeName) => nodeName is null ? All() : [Resolve(nodeName)];

    private void EnsureReady()
    {
        if (!directory.IsReady)
        {
            throw new ApiProblemException(StatusCodes.Status503ServiceUnavailable, "Routing not ready", "The API has not yet synced the agent pods from the Kubernetes API; retry shortly.");
        }
    }
}
