#pragma warning disable CA1861 // Expectations inline read as the request a person sends.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FaultApi.Tests.Drills;

/// <summary>
/// A drill that expects a DCGM-side reaction: the real API injects through a real agent on the kernel log and DCGM (the
/// node's stand-in dcgmi); a stand-in DCGM-side monitor (NVSentinel's GPU health monitor's role) sees the Xid in DCGM
/// field 230 and sets <c>GpuXidError</c>, which the drill expects.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DcgmDrillTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    private readonly string _marker = $"dcgm-drill-{Guid.NewGuid():N}"[..22];

    [RootFact]
    public async Task Drill_DcgmSurfaceAndADcgmSideMonitor_PassesOnItsNodeCondition()
    {
        var node = await cluster.AddNodeAsync();
        await using var monitor = StandInDcgmHealthMonitor.Start(cluster.KubeClient, node, cluster.DcgmiPath, dcgmGpuId: 1, xid: 79);

        using var response = await cluster.StartDrillAsync(new
        {
            node_name = node,
            gpu_id = 1,
            xid = 79,
            message = $"GPU has fallen off the bus. {_marker}",
            surfaces = new[] { "kmsg", "dcgm" },
            expect = new[] { "condition:GpuXidError" },
            timeout_seconds = 60,
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["kmsg", "dcgm"], started.GetProperty("surfaces").EnumerateArray().Select(s => s.GetString()));
        var drill = await cluster.WaitForVerdictAsync(started.GetProperty("drill_id").GetString()!);
        Assert.True(drill.GetProperty("state").GetString() == "passed", drill.ToString());
        var steps = drill.GetProperty("steps").EnumerateArray().ToList();
        var injected = steps.Single(s => s.GetProperty("step").GetString() == "injected").GetProperty("evidence");
        Assert.Equal("79 read back from DCGM GPU 1 (localhost)", injected.GetProperty("dcgm_field_230").GetString());
        var condition = steps.Single(s => s.GetProperty("step").GetString() == "condition:GpuXidError").GetProperty("evidence");
        Assert.StartsWith("ErrorCode:79 GPU:1", condition.GetProperty("message").GetString(), StringComparison.Ordinal);
        await monitor.Completion;
    }

    [RootFact]
    public async Task Drill_DcgmSlowerThanTheDrillLease_PassesWithoutBeingTakenOverBeforeTheInjectionIsConfirmed()
    {
        // Every dcgmi run answers after 1.5 s: the agent's four (discovery, dmon, test --inject, dmon) take twice the
        // cluster's 3 s drill lease, and the API's resume loop looks for expired leases every 3 s. The replica that
        // started the drill keeps its lease until the injection is confirmed, so nobody fails it as never injected.
        var node = await cluster.AddNodeAsync();
        cluster.SetDcgmAnswerDelay(1.5);
        try
        {
            await using var monitor = StandInDcgmHealthMonitor.Start(cluster.KubeClient, node, cluster.DcgmiPath, dcgmGpuId: 3, xid: 74);

            using var response = await cluster.StartDrillAsync(new
            {
                node_name = node,
                gpu_id = 3,
                xid = 74,
                message = _marker,
                surfaces = new[] { "kmsg", "dcgm" },
                expect = new[] { "condition:GpuXidError" },
                timeout_seconds = 60,
            });

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var drill = await cluster.WaitForVerdictAsync((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drill_id").GetString()!);
            Assert.True(drill.GetProperty("state").GetString() == "passed", drill.ToString());
            var injected = drill.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "injected").GetProperty("evidence");
            Assert.Equal("74 read back from DCGM GPU 3 (localhost)", injected.GetProperty("dcgm_field_230").GetString());
            await monitor.Completion;
        }
        finally
        {
            cluster.SetDcgmAnswerDelay(0);
        }
    }

    [RootFact]
    public async Task Drill_KernelLogOnlyWhileTheMonitorReadsDcgm_FailsAtItsTimeoutNeverSeeingTheCondition()
    {
        var node = await cluster.AddNodeAsync();
        await using var monitor = StandInDcgmHealthMonitor.Start(cluster.KubeClient, node, cluster.DcgmiPath, dcgmGpuId: 2, xid: 48);

        using var response = await cluster.StartDrillAsync(new
        {
            node_name = node,
            gpu_id = 2,
            xid = 48,
            message = _marker,
            expect = new[] { "condition:GpuXidError" },
            timeout_seconds = 3,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var drill = await cluster.WaitForVerdictAsync((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("drill_id").GetString()!);

        Assert.Equal("failed", drill.GetProperty("state").GetString());
        Assert.Equal(["condition:GpuXidError"], drill.GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
        Assert.False(monitor.Completion.IsCompleted);
    }
}
