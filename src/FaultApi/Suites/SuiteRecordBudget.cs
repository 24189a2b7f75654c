using System.Text;
using System.Text.Json;
using FaultApi.Storage;

namespace FaultApi.Suites;

/// <summary>
/// How large a suite's record may grow: it is one ConfigMap, whose data the Kubernetes API server refuses beyond 1 MiB
/// (422 Invalid). A request body is at most 64 KiB, but a <c>node_selector</c> drill is stored once per node it picks
/// (its expectations twice: <c>expect</c> and <c>missing</c>) and the summary names every expectation; while the suite
/// runs, each drill adds its events, ids, times, line and steps, and a drill that times out a reason naming every
/// expectation never observed, in its entry and in its <c>drill_ended</c> event. A record the server refused mid-run
/// left the suite running for good (every save, every resume failed) and its cancel a 500; so a suite whose record
/// could pass the limit is refused before anything is written (400 on <c>drills</c>).
/// </summary>
public static class SuiteRecordBudget
{
    /// <summary>A ConfigMap's data at most (the API server's <c>core.MaxSecretSize</c>).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>What a run adds to one drill's entry besides the reasons: two events, ids, times, the line, the steps' evidence, its part of the suite's reason.</summary>
    public const int RunGrowthPerDrill = 3 * 1024;

    /// <summary>What a run adds to one expectation's summary text (", p50 1.0 s, p95 2.0 s, max 3.0 s" and the counts).</summary>
    public const int RunGrowthPerExpectation = 48;

    /// <summary>
    /// The record's size as planned plus what its run may add (each drill's expectations twice more, as a timeout's
    /// reason in its entry and in its event, and <see cref="RunGrowthPerDrill"/>; each expectation's
    /// <see cref="RunGrowthPerExpectation"/>).
    /// </summary>
    public static (long Planned, long Largest) Estimate(SuiteRecord planned)
    {
        ArgumentNullException.ThrowIfNull(planned);
        long bytes = JsonSerializer.SerializeToUtf8Bytes(planned, RecordJson.Options).LongLength;
        var largest = bytes + (planned.Drills.SelectMany(d => d.Expect).Distinct(StringComparer.Ordinal).LongCount() * RunGrowthPerExpectation);
        foreach (var drill in planned.Drills)
        {
            largest += RunGrowthPerDrill + (2 * drill.Expect.Sum(e => (long)Encoding.UTF8.GetByteCount(e) + 2));
        }

        return (bytes, largest);
    }
}
