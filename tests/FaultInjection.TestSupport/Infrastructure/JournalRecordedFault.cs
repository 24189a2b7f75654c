using System.Text.Json.Nodes;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// A fault as the agent's journal last recorded it, from the journal's documented line format: the <c>recorded</c>
/// entry's whole <c>fault</c>, or, for a <c>recorded</c> delta (since #14's journal pass: <c>write_outcome</c> and one
/// <c>proofs</c> item per record instead of the fault), the fault of the <c>pending</c> entry before it with the delta's
/// outcome and each record's sequence, timestamp and observation time.
/// </summary>
public static class JournalRecordedFault
{
    /// <summary>A copy of <paramref name="faultId"/>'s last recorded fault among <paramref name="entries"/> (the journal's JSON, in order).</summary>
    public static JsonObject Find(IReadOnlyList<JsonObject> entries, string faultId)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var index = entries.Select((e, i) => (e, i)).Last(x => (string?)x.e["fault_id"] == faultId && (string?)x.e["op"] == "Recorded").i;
        var recorded = entries[index];
        if (recorded["fault"] is JsonObject whole)
        {
            return whole.DeepClone().AsObject();
        }

        var pending = entries.Take(index).Last(e => (string?)e["fault_id"] == faultId && (string?)e["op"] == "Pending");
        var fault = pending["fault"]!.DeepClone().AsObject();
        fault["write_outcome"] = recorded["write_outcome"]!.DeepClone();
        var records = fault["records"]!.AsArray();
        var proofs = recorded["proofs"]!.AsArray();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i]!.AsObject();
            record["sequence"] = proofs[i]!["sequence"]!.DeepClone();
            record["timestamp_microseconds"] = proofs[i]!["timestamp_microseconds"]!.DeepClone();
            record.Remove("observed_at");
            if (proofs[i]!["observed_at"] is { } observedAt)
            {
                record["observed_at"] = observedAt.DeepClone();
            }
        }

        return fault;
    }
}
