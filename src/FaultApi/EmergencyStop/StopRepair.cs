namespace FaultApi.EmergencyStop;

/// <summary>What the reconciler writes over the store, given what the store, this replica and the agents hold.</summary>
internal static class StopRepair
{
    /// <summary>
    /// Null (nothing to write) when the store holds a state newer than <paramref name="current"/> (another replica's change,
    /// to be adopted), or when no agent holds a state winning over the cluster's and the store did not lose this replica's.
    /// Else the state to write again and the version to write above (the highest winning agent's): the cluster's state —
    /// this replica's when the store lost it — or, when the cluster is released and such an agent holds an engaged state,
    /// that stop (a stop is never lost, an agent can never release the cluster).
    /// </summary>
    public static (StopState Content, long Floor)? Decide(StopState? stored, StopState current, IReadOnlyList<StopState> held)
    {
        if (stored is not null && stored.Supersedes(current))
        {
            // A newer change (another replica's): that is the cluster's state; adopted by the caller.
            return null;
        }

        var cluster = stored ?? current;
        var ahead = held.Where(h => h.Supersedes(cluster)).ToList();
        var lost = current.Version > 0 && (stored is null || current.Supersedes(stored));
        if (ahead.Count == 0 && !lost)
        {
            return null;
        }

        var adopt = cluster.Engaged ? null : ahead.Where(h => h.Engaged).MaxBy(h => h.Version);
        var floor = ahead.Select(h => h.Version).DefaultIfEmpty(0).Max();
        return ((adopt ?? (lost ? current : cluster)) with { Version = 0 }, floor);
    }
}
