using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.BlastRadius;

/// <summary>
/// The blast-radius guard when an agent refuses an injection UNAVAILABLE with nothing of it in its kernel log or its
/// registry: <c>KERNEL_LOG_RECORD_LOST</c> (write() took the record, the kernel did not keep it: it stores a /dev/kmsg
/// record inside write() or never, so no reader of the log saw it) and <c>STATE_DIRECTORY_UNWRITABLE</c> (the fault
/// journal refused the injection's intent, which is written before the kernel log). The API's 503 carries the reason
/// and says nothing was written, so that node's reservation is dropped at once as for BOARD_SERIAL_PENDING. Before, both
/// were plain UNAVAILABLE (the generic "Agent unavailable"), and the reservation stayed in flight until the agent call's
/// deadline (+10 s): with a limit, another node's injection was refused 409 meanwhile. REAL agents
/// (<see cref="RealAgentCluster"/>), the fake Kubernetes API server, the real API. The kernel's drop is a regular file
/// bound over /dev/kmsg in gpu-node-002's target mount namespace: write() takes the record and it never appears among
/// the log's records, which is what a dropped record looks like to the agent (its read-back reads the log for
/// <c>VerifyTimeout</c>, 5 s, per attempt; the API's channel is set to two attempts, which end within its call deadline
/// of 15 s — at the default three they would not, and the answer would be the deadline's 504). The unwritable state
/// directory is gpu-node-002's state directory and journal made immutable (<see cref="ImmutableStateDirectory"/>).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class BlastRadiusNothingRecordedTests : IDisposable
{
    private readonly string _runId = $"bnr{Guid.NewGuid():N}"[..16];
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task Inject_AgentsKernelDropsTheRecord_503KernelLogRecordLost_DropsThatNodesReservation_AnotherNodeIsNotRefused()
    {
        using var kernelLog = KernelLogRecorder.Start();
        var droppingKmsg = _directory.Combine("kmsg-that-keeps-nothing");
        await File.WriteAllTextAsync(droppingKmsg, "");
        await using var cluster = new RealAgentCluster(
            new Dictionary<string, string?> { ["Safety:MaxFaultedNodes"] = "1", ["Agents:MaxAttempts"] = "2" },
            agents: 2,
            prepareTarget: (i, target) =>
            {
                if (i == 1)
                {
                    target.RunInside("mount", "--bind", droppingKmsg, "/dev/kmsg");
                }
            });
        await cluster.InitializeAsync();
        var dropping = RealAgentCluster.NodeName(1);

        var problem = await RefusedThenAnotherNodeIsAdmittedAsync(cluster, dropping, $"dropped {_runId}");

        AssertNothingRecorded(problem, "KERNEL_LOG_RECORD_LOST", dropping);
        Assert.Equal("Kernel log record lost", problem.GetProperty("title").GetString());
        Assert.Contains("did not keep", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // write() took each attempt's first record (the GPU's preamble: its first Xid this boot) and nothing after it.
        var taken = (await File.ReadAllLinesAsync(droppingKmsg)).Where(l => l.Length > 0).ToList();
        Assert.Equal(2, taken.Count);
        Assert.All(taken, l => Assert.StartsWith("<", l, StringComparison.Ordinal));
        Assert.DoesNotContain(taken, l => l.Contains(_runId, StringComparison.Ordinal));
        Assert.Empty(kernelLog.SnapshotContaining($"dropped {_runId}"));
        await AssertNoFaultAsync(cluster.Client, dropping);
    }

    [RootFact]
    public async Task Inject_AgentsStateDirectoryUnwritable_503StateDirectoryUnwritable_DropsThatNodesReservation_AnotherNodeIsNotRefused()
    {
        using var kernelLog = KernelLogRecorder.Start();
        await using var cluster = new RealAgentCluster(new Dictionary<string, string?> { ["Safety:MaxFaultedNodes"] = "1" }, agents: 2);
        await cluster.InitializeAsync();
        var unwritable = RealAgentCluster.NodeName(1);

        using (new ImmutableStateDirectory(cluster.StateDirectory(1)))
        {
            // Every attempt of the API's channel (UNAVAILABLE is sent again) is refused the same way, nothing written.
            var problem = await RefusedThenAnotherNodeIsAdmittedAsync(cluster, unwritable, $"unwritable {_runId}");

            AssertNothingRecorded(problem, "STATE_DIRECTORY_UNWRITABLE", unwritable);
            Assert.Equal("Agent state directory unavailable", problem.GetProperty("title").GetString());
            Assert.Contains("faults.journal", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Empty(kernelLog.SnapshotContaining($"unwritable {_runId}"));
            await AssertNoFaultAsync(cluster.Client, unwritable);
        }
    }

    /// <summary>
    /// Injects on <paramref name="refusedNode"/>, which its agent refuses (503), then on gpu-node-001: one faulted node at
    /// most admits it only when the refused node holds no fault and no injection in flight (on main it was 409 naming
    /// the refused node "in flight"). Returns the refusal's problem.
    /// </summary>
    private async Task<JsonElement> RefusedThenAnotherNodeIsAdmittedAsync(RealAgentCluster cluster, string refusedNode, string message)
    {
        using var refused = await RealAgentCluster.InjectAsync(cluster.Client, refusedNode, message);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, problem.ToString());

        using var other = await RealAgentCluster.InjectAsync(cluster.Client, RealAgentCluster.NodeName(0), $"other {_runId}");
        Assert.True(other.StatusCode != HttpStatusCode.Conflict, $"refused while only the refusal was on {refusedNode}: {await other.Content.ReadAsStringAsync()}");
        _ = await BlastRadiusRealAgentTests.AssertWrittenOrOutcomeUnknownAsync(other);
        Assert.DoesNotContain(refusedNode, cluster.LedgerNodes());
        return problem;
    }

    /// <summary>The API's 503 problem for the agent's refusal: its reason, the node, and no DCGM values taken back.</summary>
    private static void AssertNothingRecorded(JsonElement problem, string reason, string node)
    {
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.Equal(node, problem.GetProperty("node_name").GetString());
        Assert.Equal("Unavailable", problem.GetProperty("grpc_status").GetString());
        Assert.False(problem.TryGetProperty("dcgm_fields_taken_back", out _), problem.ToString());
    }

    private static async Task AssertNoFaultAsync(HttpClient client, string node)
    {
        var faults = await client.GetFromJsonAsync<JsonElement>($"/api/v1/faults?node={node}");
        Assert.Equal(0, faults.GetProperty("count").GetInt32());
    }
}
