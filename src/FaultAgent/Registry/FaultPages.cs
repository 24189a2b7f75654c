using FaultAgent.Paging;

namespace FaultAgent.Registry;

/// <summary>
/// Pages of the registry's faults (gRPC ListFaults, HTTP GET /faults): in the registry's order — injection time, then
/// the first record's kernel sequence, then the fault id — which is also the page token's cursor.
/// </summary>
public static class FaultPages
{
    public const string ListName = "faults";

    /// <summary>The page of <paramref name="faults"/> (already filtered by <paramref name="activeOnly"/>) that <paramref name="page"/> asks for.</summary>
    public static Page<FaultRecord> Take(IReadOnlyList<FaultRecord> faults, bool activeOnly, PageRequest page) =>
        Paginator.Take(faults, Key, page, ListName, activeOnly ? "active_only" : "");

    private static string[] Key(FaultRecord fault) =>
    [
        Paginator.Number(fault.InjectedAt.UtcTicks),
        Paginator.Number(fault.HeldRecords.FirstSequence),
        fault.FaultId,
    ];
}
