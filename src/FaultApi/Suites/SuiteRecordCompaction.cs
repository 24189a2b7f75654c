using System.Text.Json;
using FaultApi.Storage;

namespace FaultApi.Suites;

/// <summary>
/// Smaller copies of an ended suite's record, for when the API server refused the whole record
/// (<see cref="SuiteRecordRefusedException"/>): the end is still recorded, without the parts that grow while a suite
/// runs. <see cref="Compact"/> keeps every drill's definition, state, ids and times, and drops the steps, lines,
/// <c>missing</c> lists and every event but <c>suite_ended</c>, with reasons cut to <see cref="MaxReasonLength"/>;
/// <see cref="Minimal"/> keeps the suite's own fields and no drill.
/// </summary>
public static class SuiteRecordCompaction
{
    /// <summary>How long a drill's reason is kept in a compacted record (a timeout's names every expectation never observed).</summary>
    public const int MaxReasonLength = 256;

    public static SuiteRecord Compact(SuiteRecord ended)
    {
        var copy = Copy(ended);
        foreach (var drill in copy.Drills)
        {
            drill.Steps = [];
            drill.Missing = [];
            drill.Line = null;
            drill.Reason = Cut(drill.Reason);
        }

        var last = copy.Events.LastOrDefault(e => e.Event == "suite_ended");
        copy.Events.Clear();
        if (last is not null)
        {
            copy.Add(last);
        }

        return copy;
    }

    public static SuiteRecord Minimal(SuiteRecord ended)
    {
        var copy = Compact(ended);
        copy.Drills.Clear();
        return copy;
    }

    private static SuiteRecord Copy(SuiteRecord record) =>
        JsonSerializer.Deserialize<SuiteRecord>(JsonSerializer.SerializeToUtf8Bytes(record, RecordJson.Options), RecordJson.Options)
        ?? throw new InvalidOperationException("A suite record always reads back.");

    private static string? Cut(string? reason) => reason is null || reason.Length <= MaxReasonLength ? reason : string.Concat(reason.AsSpan(0, MaxReasonLength - 1), "…");
}
