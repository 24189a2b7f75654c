using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Suites;
using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Suites;

/// <summary>
/// A suite two of whose drills are cancelled from outside the suite (DELETE of each) while they run, their verdicts
/// reaching the suite's runner in the opposite order of their ends: drill 1's cancel is recorded first (its
/// <c>ended_at</c> set) but its write is held in the fake Kubernetes API server until the runner took drill 0's cancel,
/// recorded after it. The suite ends cancelled with the reason of the drill that ended first (<see cref="SuiteStop"/>'s
/// rule, by <c>ended_at</c>), the pending drill skipped with it, whether the runner that took both verdicts ends the suite
/// (the live runner) or another replica resumes the record after that runner's end was held (the resumed runner); the
/// reader, while the end is not saved, names the same. One replica while the cancels land (no other to take the held
/// drill's lease over), the cluster's real agent; no monitor (the drills wait for a cordon).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class SuiteTwoOutsideCancelsTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    private static readonly string[] Cordon = ["cordon"];

    private readonly string _marker = $"tc-{Guid.NewGuid():N}"[..15];

    /// <param name="resumedByAnotherReplica">
    /// False: replica A, which took both verdicts, ends the suite (on main 2427c5f it ended it with the reason of the
    /// verdict it took first, drill 0's). True: A's save of the end is held, replica B takes the suite over and ends it
    /// from the record (on main B, and the rule, said drill 1's).
    /// </param>
    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_TwoDrillsCancelledFromOutside_VerdictsTakenOppositeToTheirEnds_SuiteEndsWithTheFirstEndedReason(bool resumedByAnotherReplica)
    {
        var ns = resumedByAnotherReplica ? "suites-two-cancels-b" : "suites-two-cancels-a";
        await using var a = cluster.NewApi(ns);
        using var clientA = a.CreateAuthenticatedClient();
        await Eventually.TrueAsync(async () => (await clientA.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode, "replica A");
        var nodeX = await cluster.AddNodeAsync(ns: ns, api: a);
        var nodeY = await cluster.AddNodeAsync(ns: ns, api: a);

        // Two at a time: drill 0 on X, drill 1 on Y (both wait 120 s for a cordon nobody makes), drill 2 on X after drill 0.
        using var started = await clientA.PostAsJsonAsync(new Uri("/api/v1/suites", UriKind.Relative), new
        {
            concurrency = 2,
            stop_on_failure = false,
            drills = new[] { nodeX, nodeY, nodeX }.Select((node, index) => new { node_name = node, xid = 79, message = Message(index), expect = Cordon, timeout_seconds = 120 }).ToArray(),
        });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suite_id").GetString()!;
        var (drill0, drill1) = (SuiteRunner.FixedDrillId(id, 0), SuiteRunner.FixedDrillId(id, 1));
        var releaseDrill1 = () => { };
        var releaseEnd = () => { };
        try
        {
            await Eventually.TrueAsync(
                async () => (await cluster.GetSuiteAsync(id, clientA)).GetProperty("drills").EnumerateArray().Take(2).All(d => d.GetProperty("state").GetString() == "running")
                    && await cluster.InjectedAsync(drill0, clientA) && await cluster.InjectedAsync(drill1, clientA),
                "drills 0 and 1 to run, injected");

            // Drill 1 is cancelled first: its follower (in A) sets its end, and the write of it is held.
            (var drill1Arrived, releaseDrill1) = cluster.Kube.HoldNextConfigMapReplace(m => m.Metadata.Name == DrillStore.ObjectName(drill1)
                && m.Metadata.Labels?.TryGetValue("fault-injection/drill-state", out var state) == true && state == "cancelled");
            var cancel1 = clientA.DeleteAsync(new Uri($"/api/v1/drills/{drill1}?reason=first", UriKind.Relative));
            await drill1Arrived.WaitAsync(TimeSpan.FromSeconds(60));

            // Then drill 0, written at once: the runner takes its verdict (and saves it) while drill 1 still runs in its record.
            using (var cancel0 = await clientA.DeleteAsync(new Uri($"/api/v1/drills/{drill0}?reason=second", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, cancel0.StatusCode);
            }

            await Eventually.TrueAsync(
                async () => (await cluster.GetSuiteAsync(id, clientA)).GetProperty("drills")[0].GetProperty("state").GetString() == "cancelled",
                "the runner to take drill 0's verdict");
            Assert.Equal("running", (await cluster.GetSuiteAsync(id, clientA)).GetProperty("drills")[1].GetProperty("state").GetString());

            Task? endArrived = null;
            if (resumedByAnotherReplica)
            {
                // Replica A's save of the suite's end is held.
                (endArrived, releaseEnd) = SuiteHandover.HoldEndSave(cluster, id);
            }

            releaseDrill1();
            using (var cancelled1 = await cancel1)
            {
                Assert.Equal(HttpStatusCode.OK, cancelled1.StatusCode);
            }

            // Drill 1 ended first, drill 0 second; the runner took them the other way round.
            const string first = "cancelled by alice: first";
            var (ended0, ended1) = (await cluster.GetDrillAsync(drill0, clientA), await cluster.GetDrillAsync(drill1, clientA));
            Assert.Equal(first, ended1.GetProperty("reason").GetString());
            Assert.Equal("cancelled by alice: second", ended0.GetProperty("reason").GetString());
            Assert.True(ended1.GetProperty("ended_at").GetDateTimeOffset() < ended0.GetProperty("ended_at").GetDateTimeOffset(), $"{ended1} then {ended0}");

            string? readWhileEnding = null;
            await using var b = resumedByAnotherReplica ? cluster.NewApi(ns) : null;
            using var clientB = b?.CreateAuthenticatedClient();
            if (endArrived is not null && clientB is not null)
            {
                await endArrived.WaitAsync(TimeSpan.FromSeconds(60));

                // The record: both cancelled, drill 2 pending, the suite running; the reader names how it ends.
                var recorded = await cluster.GetSuiteAsync(id, clientA);
                Assert.Equal("running", recorded.GetProperty("state").GetString());
                Assert.Equal(["cancelled", "cancelled", "pending"], recorded.GetProperty("drills").EnumerateArray().Select(d => d.GetProperty("state").GetString()));
                readWhileEnding = recorded.GetProperty("reason").GetString();

                // B starts and takes the suite over (A, held, renews its lease no more), then A's held save lands on B's write: 409, A stops.
                await SuiteHandover.ReleaseOnceTakenOverAsync(cluster, ns, id, a, releaseEnd);
            }

            var suite = await cluster.WaitForSuiteVerdictAsync(id, TimeSpan.FromSeconds(60), clientB ?? clientA);
            var entries = suite.GetProperty("drills").EnumerateArray().ToList();
            Assert.True(suite.GetProperty("state").GetString() == "cancelled", suite.ToString());
            Assert.Equal(first, suite.GetProperty("reason").GetString());
            Assert.Equal(["cancelled", "cancelled", "skipped"], entries.Select(e => e.GetProperty("state").GetString()));
            Assert.Equal($"not started: {first}", entries[2].GetProperty("reason").GetString());

            // What the rule says of the stored record, and what the reader said while the end was held.
            var stored = await a.Services.GetRequiredService<SuiteStore>().GetAsync(id, CancellationToken.None);
            Assert.NotNull(stored);
            Assert.Equal(first, SuiteStop.CancelledBy(stored.Suite));
            if (resumedByAnotherReplica)
            {
                Assert.Contains($"({first})", readWhileEnding, StringComparison.Ordinal);
            }
        }
        finally
        {
            releaseDrill1();
            releaseEnd();
            using var cancel = await clientA.DeleteAsync(new Uri($"/api/v1/suites/{id}", UriKind.Relative));
        }
    }

    private string Message(int index) => $"{_marker}-{index}";
}
