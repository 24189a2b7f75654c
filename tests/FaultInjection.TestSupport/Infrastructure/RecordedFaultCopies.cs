using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// Gives a (stopped) agent many recorded faults without writing a kernel line for each: the recorded entry of one real
/// fault is appended again under other fault ids and keys, as the agent would have journaled them. Works on the
/// journal's documented line format (<c>&lt;16 hex digits of SHA-256(json)&gt; &lt;json&gt;\n</c>), so the API's tests
/// can use it without the agent's types.
/// </summary>
public static class RecordedFaultCopies
{
    /// <summary>Appends <paramref name="count"/> copies of <paramref name="faultId"/>'s entry, named <c>&lt;prefix&gt;-&lt;n&gt;</c>; returns their ids.</summary>
    public static IReadOnlyList<string> Append(string stateDirectory, string faultId, string prefix, int count)
    {
        var path = Path.Combine(stateDirectory, "faults.journal");
        var entries = File.ReadAllLines(path).Where(l => l.Length > 17).Select(l => JsonNode.Parse(l[17..])!.AsObject()).ToList();
        var recorded = new JsonObject { ["op"] = "Recorded", ["fault_id"] = faultId, ["fault"] = JournalRecordedFault.Find(entries, faultId) };
        var ids = new List<string>(count);
        var lines = new StringBuilder();
        for (var n = 1; n <= count; n++)
        {
            var id = $"{prefix}-{n}";
            var copy = recorded.DeepClone().AsObject();
            copy["fault_id"] = id;
            copy["fault"]!["fault_id"] = id;
            copy["fault"]!["idempotency_key"] = "key-" + id;
            var json = Encoding.UTF8.GetBytes(copy.ToJsonString());
            lines.Append(Convert.ToHexStringLower(SHA256.HashData(json).AsSpan(0, 8))).Append(' ').Append(Encoding.UTF8.GetString(json)).Append('\n');
            ids.Add(id);
        }

        File.AppendAllText(path, lines.ToString());
        return ids;
    }
}
