using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// Leaves a (stopped) agent's state as if it had been killed in the middle of writing one of its faults: the fault's
/// recorded entry becomes the pending entry the agent saves before a write (the planned records, from the sequence
/// after the fault's last real record, so those real records are before it and do not count), and the first planned
/// record is written to the machine's /dev/kmsg, as the killed agent had done. Everything else in the journal stays.
/// Works on the journal's documented line format (<c>&lt;16 hex digits of SHA-256(json)&gt; &lt;json&gt;\n</c>), so the
/// API's tests can use it without the agent's types.
/// </summary>
public static class CrashedWrite
{
    /// <summary>Returns the text of the one record written.</summary>
    public static string AfterFirstRecord(string stateDirectory, string faultId) => AfterFirstRecord(stateDirectory, faultId, out _);

    /// <summary>Returns the text of the one record written, and the pending entry's sequence (the restart reads from it).</summary>
    public static string AfterFirstRecord(string stateDirectory, string faultId, out ulong fromSequence)
    {
        var (text, level) = ToPending(stateDirectory, faultId, out fromSequence);
        using var kmsg = new FileStream("/dev/kmsg", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        kmsg.Write(Encoding.ASCII.GetBytes($"<{level}>{text}\n"));
        return text;
    }

    /// <summary>
    /// As if the agent had been killed after it saved the fault's pending entry and before it wrote any record: nothing
    /// is written. Returns the pending entry's sequence.
    /// </summary>
    public static ulong BeforeTheWrite(string stateDirectory, string faultId)
    {
        ToPending(stateDirectory, faultId, out var fromSequence);
        return fromSequence;
    }

    /// <summary>Replaces the fault's entries by its pending entry; returns its first record's text and level.</summary>
    private static (string Text, int Level) ToPending(string stateDirectory, string faultId, out ulong fromSequence)
    {
        var path = Path.Combine(stateDirectory, "faults.journal");
        var entries = File.ReadAllLines(path).Where(l => l.Length > 17).Select(l => JsonNode.Parse(l[17..])!.AsObject()).ToList();
        var fault = JournalRecordedFault.Find(entries, faultId);
        var records = fault["records"]!.AsArray();
        var lastSequence = (ulong)records[^1]!["sequence"]!;
        var first = records[0]!;
        var text = (string)first["text"]!;
        var level = (int)first["level"]!;
        foreach (var record in records)
        {
            record!["sequence"] = 0;
            record["timestamp_microseconds"] = 0;
            record.AsObject().Remove("observed_at");
        }

        fromSequence = lastSequence + 1;
        var pending = new JsonObject
        {
            ["op"] = "Pending",
            ["fault_id"] = faultId,
            ["fault"] = fault.DeepClone(),
            ["from_sequence"] = fromSequence,
        };
        var lines = entries.Where(e => (string?)e["fault_id"] != faultId).Append(pending).Select(Line);
        File.WriteAllText(path, string.Concat(lines));
        return (text, level);
    }

    private static string Line(JsonObject entry)
    {
        var json = Encoding.UTF8.GetBytes(entry.ToJsonString());
        return Convert.ToHexStringLower(SHA256.HashData(json).AsSpan(0, 8)) + " " + Encoding.UTF8.GetString(json) + "\n";
    }
}
