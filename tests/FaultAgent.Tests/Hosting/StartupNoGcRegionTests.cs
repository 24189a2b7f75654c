using System.Runtime;
using FaultAgent.Hosting;

namespace FaultAgent.Tests.Hosting;

/// <summary>
/// The start's no-GC region (#14, BENCHMARKS.md "the agent's start"): begun, it holds collections off; ended, the GC is back
/// to its latency mode; ended twice, or never begun, nothing to end. Not in parallel with tests that start agent apps,
/// whose first start in this process begins the region it then ends.
/// </summary>
[Collection(StartupNoGcRegionGroup.Name)]
public sealed class StartupNoGcRegionTests
{
    [Fact]
    public void End_AfterTryBegin_EndsTheRegion()
    {
        EndAgentsRegion();

        Assert.True(StartupNoGcRegion.TryBegin(16L * 1024 * 1024));
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);

        Assert.True(StartupNoGcRegion.End());
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void End_NoRegion_ReturnsFalse()
    {
        EndAgentsRegion();

        Assert.False(StartupNoGcRegion.End());
    }

    [Fact]
    public void TryBegin_RegionInEffect_ReturnsFalse()
    {
        EndAgentsRegion();
        Assert.True(StartupNoGcRegion.TryBegin(16L * 1024 * 1024));
        try
        {
            Assert.False(StartupNoGcRegion.TryBegin(16L * 1024 * 1024));
        }
        finally
        {
            StartupNoGcRegion.End();
        }
    }

    [Fact]
    public void EndOncePerProcess_CalledAgain_EndsNothing()
    {
        EndAgentsRegion();
        Assert.True(StartupNoGcRegion.TryBegin(16L * 1024 * 1024));
        try
        {
            // The agent apps' region is already ended: a later app's compaction leaves this one alone.
            Assert.False(StartupNoGcRegion.EndOncePerProcess());
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
        finally
        {
            StartupNoGcRegion.End();
        }
    }

    /// <summary>Ends the region an agent app started in this process may have begun, so no app's compaction ends the test's own.</summary>
    private static void EndAgentsRegion()
    {
        _ = StartupNoGcRegion.BeginOncePerProcess();
        _ = StartupNoGcRegion.EndOncePerProcess();
        _ = StartupNoGcRegion.End();
    }
}
