namespace FaultApi.Agents;

/// <summary>
/// What a fan-out to many agents (<see cref="AgentGateway.GatherAsync"/>) brought back: each agent's outcome in the
/// order asked, the answers, the nodes that answered and the per-node errors (the routes' <c>answered_nodes</c> and
/// <c>node_errors</c>).
/// </summary>
public sealed class AgentGathering<T>(IReadOnlyList<AgentOutcome<T>> outcomes)
{
    public IReadOnlyList<AgentOutcome<T>> Outcomes { get; } = outcomes;

    /// <summary>The agents that answered, with their answers, in the order asked.</summary>
    public IReadOnlyList<AgentOutcome<T>> Answers { get; } = [.. outcomes.Where(o => o.Error is null)];

    /// <summary>Each answer's items with the node that gave them (e.g. every fault of every node), in the order asked.</summary>
    public IEnumerable<(string NodeName, TItem Item)> Items<TItem>(Func<T, IEnumerable<TItem>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Answers.SelectMany(a => items(a.Response!).Select(i => (a.Agent.NodeName, i)));
    }

    /// <summary>The nodes that answered, in the order asked.</summary>
    public IReadOnlyList<string> AnsweredNodes => [.. Answers.Select(a => a.Agent.NodeName)];

    /// <summary>The nodes that did not answer and why, in the order asked.</summary>
    public IReadOnlyList<NodeError> Errors => [.. Outcomes.Where(o => o.Error is not null).Select(o => o.Error!)];
}
