namespace FaultAgent.Registry;

/// <summary>
/// The <see cref="FaultOrigin"/> instances the registry's records share (#14, the agent's memory): a record put into the
/// map holds the kept instance equal to its own (at most <see cref="Capacity"/> are kept; past that a record keeps its
/// own). Used under the registry's state lock, as its map is.
/// </summary>
internal sealed class FaultOriginSet
{
    /// <summary>The most instances kept: far more than the node's GPUs × fault types × callers × boots a registry sees.</summary>
    public const int Capacity = 4096;

    private readonly HashSet<FaultOrigin> _kept = [];

    public int Count => _kept.Count;

    /// <summary>The kept instance equal to <paramref name="origin"/>, or <paramref name="origin"/> itself, kept (and shared) from now on while there is room.</summary>
    public FaultOrigin Share(FaultOrigin origin)
    {
        // Already shared (a record made with `with` from one in the map, e.g. the recorded fault from its pending entry): no lookup.
        if (origin.IsShared)
        {
            return origin;
        }

        if (_kept.TryGetValue(origin, out var kept))
        {
            return kept;
        }

        if (_kept.Count >= Capacity)
        {
            return origin;
        }

        origin.Share();
        _kept.Add(origin);
        return origin;
    }
}
