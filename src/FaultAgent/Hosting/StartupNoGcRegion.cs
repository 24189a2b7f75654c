using System.Runtime;

namespace FaultAgent.Hosting;

/// <summary>
/// No garbage collection while the agent starts (#14, BENCHMARKS.md "the agent's start"). The agent's gen0 budget is
/// 1 MiB (FaultAgent.csproj: idle and after-load memory), and its start allocates several times that, nearly all of it
/// still reachable until the host has started (configuration, the DI container, endpoints, the gRPC and protobuf
/// descriptors): profiled with <c>perf</c>, gen0 collections copying those survivors were ~17 % of the start's CPU. A
/// no-GC region from the first line of <c>Main</c> to <see cref="StartupHeapCompaction"/> lets the start allocate its
/// <see cref="AllocationBudget"/> without a collection; the compacting full collection that follows the start anyway
/// collects it all once and returns the memory to the system. A start that allocates more than the budget ends the
/// region with an ordinary collection and carries on as before. Once per process, like the compaction: a process that
/// hosts many agent apps (the AgentFarm, the tests) runs it for the first app's start only.
/// </summary>
internal static class StartupNoGcRegion
{
    /// <summary>What the start may allocate before the region ends with a collection anyway.</summary>
    internal const long AllocationBudget = 48L * 1024 * 1024;

    // 0: not begun in this process; 1: begun by BeginOncePerProcess; 2: ended by EndOncePerProcess.
    private static int s_state;

    /// <summary>Begins the region unless this process already did; returns whether it is now in effect.</summary>
    public static bool BeginOncePerProcess() =>
        Interlocked.CompareExchange(ref s_state, 1, 0) == 0 && TryBegin(AllocationBudget);

    /// <summary>
    /// Ends the region <see cref="BeginOncePerProcess"/> began, once: every agent app's <see cref="StartupHeapCompaction"/>
    /// calls it, and only the first call ends anything. Returns whether a region was in effect and ended.
    /// </summary>
    public static bool EndOncePerProcess() =>
        Interlocked.CompareExchange(ref s_state, 2, 1) == 1 && End();

    /// <summary>Begins a no-GC region for <paramref name="allocationBudget"/> bytes; false when one is in effect already or the GC refuses the size.</summary>
    internal static bool TryBegin(long allocationBudget)
    {
        try
        {
            return GC.TryStartNoGCRegion(allocationBudget);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Ends the region if it is still in effect; false when there is none (never begun, or ended by a collection).</summary>
    public static bool End()
    {
        if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
        {
            return false;
        }

        try
        {
            GC.EndNoGCRegion();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
