using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Storage;

namespace FaultApi.Suites;

/// <summary>
/// How large a suite's record may grow: it is one ConfigMap, whose data the Kubernetes API server refuses beyond 1 MiB
/// (422 Invalid). A request body is at most 64 KiB, but a <c>node_selector</c> drill is stored once per node it picks
/// (its expectations twice: <c>expect</c> and <c>missing</c>) and the summary names every expectation; while the suite
/// runs, each drill adds its ids, times, reason, line, steps and evidence and two events, and the suite its reason and
/// its end. A suite whose record could pass the limit is refused before anything is written (400 on <c>drills</c>),
/// so no save of its run (nor its cancel) is refused for its size.
/// </summary>
public static class SuiteRecordBudget
{
    /// <summary>A ConfigMap's data at most (the API server's <c>core.MaxSecretSize</c>).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// The record's size as planned, and the largest it can become while it runs: an upper bound computed from
    /// <see cref="SuiteRecordCaps"/>, not a guess. It is the size of <see cref="WorstCase"/> (every field a run writes at
    /// its longest) plus, per drill, the evidence a run may add to its steps: <see cref="SuiteRecordCaps.EvidenceBytesPerDrill"/>
    /// and, for each step, the largest <c>left_out</c> object (<see cref="SuiteRecordCaps.LeftOutBytes"/>).
    /// </summary>
    public static (long Planned, long Largest) Estimate(SuiteRecord planned)
    {
        ArgumentNullException.ThrowIfNull(planned);
        long bytes = JsonSerializer.SerializeToUtf8Bytes(planned, RecordJson.Options).LongLength;
        var worst = WorstCase(planned);
        long largest = JsonSerializer.SerializeToUtf8Bytes(worst, RecordJson.Options).LongLength;
        foreach (var drill in worst.Drills)
        {
            largest += SuiteRecordCaps.EvidenceBytesPerDrill + ((long)drill.Steps.Count * SuiteRecordCaps.LeftOutBytes);
        }

        return (bytes, largest);
    }

    /// <summary>
    /// <paramref name="planned"/> as it is at its largest once ended, but for its steps' evidence (empty here): the
    /// suite's state, reason and end, each drill's state, ids, times, reason, line and <c>missing</c> (every
    /// expectation) at their longest, a step for <c>injected</c> and for each of its expectations at the longest time,
    /// each drill's <c>drill_started</c> and <c>drill_ended</c> and the suite's <c>suite_ended</c> with the longest
    /// reasons; the summary then names every expectation passed by every drill at the longest times. A run writes no
    /// other field, no other step (<see cref="SuiteRecordCaps.Steps"/>) and no other event (a drill is started once
    /// and ends once; the suite ends once).
    /// </summary>
    public static SuiteRecord WorstCase(SuiteRecord planned)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var worst = JsonSerializer.Deserialize<SuiteRecord>(JsonSerializer.SerializeToUtf8Bytes(planned, RecordJson.Options), RecordJson.Options)
            ?? throw new InvalidOperationException("A suite record always reads back.");
        var latest = DateTimeOffset.MaxValue;
        var state = Enum.GetValues<SuiteState>().MaxBy(s => s.JsonName().Length);
        var id = new string('f', SuiteRecordCaps.IdBytes);
        var eventReason = new string('x', SuiteRecordCaps.EventReasonBytes);
        var empty = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var drill in worst.Drills)
        {
            drill.State = state;
            drill.DrillId = id;
            drill.FaultId = id;
            drill.Reason = new string('x', SuiteRecordCaps.ReasonBytes);
            drill.Missing = [.. drill.Expect];
            drill.StartedAt = latest;
            drill.InjectedAt = latest;
            drill.EndedAt = latest;
            drill.Line = new string('x', SuiteRecordCaps.LineBytes);
            drill.Steps = [.. drill.Expect.Prepend(SuiteRecordCaps.InjectedStep).Distinct(StringComparer.Ordinal)
                .Select(step => new DrillStep(step, latest, SuiteRecordCaps.MaxStepSeconds, empty))];
            worst.Add(new SuiteEvent("drill_started", latest, drill.Index, drill.Name, drill.NodeName, id, state, eventReason));
            worst.Add(new SuiteEvent("drill_ended", latest, drill.Index, drill.Name, drill.NodeName, id, state, eventReason));
        }

        worst.State = state;
        worst.Reason = new string('x', SuiteRecordCaps.SuiteReasonBytes);
        worst.EndedAt = latest;
        worst.Add(new SuiteEvent("suite_ended", latest, null, worst.Name, null, null, state, eventReason));
        return worst;
    }
}
