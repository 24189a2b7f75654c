using System.Globalization;
using System.Text.Json.Nodes;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// What a monitor's own code made of one record: <see cref="Text"/> holds every field the harness reported (compared
/// whole between our record and the real line), <see cref="Findings"/> the Xid/SXid codes it found with the device each
/// names (<c>dddd:bb:dd</c> for a GPU, <c>dddd:bb:dd.f</c> for a switch or a fallen-off GPU; empty where the monitor
/// names none), compared with the injection's intent.
/// </summary>
internal sealed record MonitorVerdict(string Text, IReadOnlyList<MonitorFinding> Findings)
{
    public const string Nothing = "—";

    public static MonitorVerdict FromGpud(JsonNode? node)
    {
        List<string> parts = [];
        List<MonitorFinding> findings = [];
        if (node?["xid"] is JsonObject xid)
        {
            var device = Str(xid["device_uuid"]);
            parts.Add($"Xid {Int(xid["xid"])} @{device} {Str(xid["event_type"])} [{string.Join(",", xid["repair_actions"]!.AsArray().Select(Str))}] sub {Int(xid["sub_code"])}");
            findings.Add(new("Xid", Int(xid["xid"]), device.StartsWith("PCI:", StringComparison.Ordinal) ? device[4..] : device));
        }

        if (node?["sxid"] is JsonObject sxid)
        {
            var device = Str(sxid["device_uuid"]);
            parts.Add($"SXid {Int(sxid["sxid"])} @{device} {Str(sxid["event_type"])} [{string.Join(",", sxid["repair_actions"]!.AsArray().Select(Str))}]");
            findings.Add(new("SXid", Int(sxid["sxid"]), device.StartsWith("PCI:", StringComparison.Ordinal) ? device[4..] : device));
        }

        return Make(parts, findings);
    }

    public static MonitorVerdict FromNvSentinel(JsonNode? node)
    {
        List<string> parts = [];
        List<MonitorFinding> findings = [];
        if (Str(node?["pci_to_uuid"]) is { Length: > 0 } map)
        {
            parts.Add($"PCI→UUID {map}");
        }

        if (node?["xid"] is JsonObject xid)
        {
            var metadata = xid["metadata"] as JsonObject;
            var meta = metadata is null ? "" : string.Join(",", metadata.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Str(p.Value)}"));
            parts.Add($"Xid {Int(xid["number"])} @{Str(xid["pcie_bdf"])} {Str(xid["decoded_xid_string"])} {Str(xid["resolution"])} {(xid["is_fatal"]!.GetValue<bool>() ? "fatal" : "not fatal")}{(meta.Length == 0 ? "" : " " + meta)}");
            findings.Add(new("Xid", Int(xid["number"]), Str(xid["pcie_bdf"])));
        }

        if (node?["sxid"] is JsonObject sxid)
        {
            parts.Add($"SXid {Int(sxid["sxid"])} nvswitch{Int(sxid["nvswitch"])} @{Str(sxid["pci"])} link {Int(sxid["link"])} {(sxid["is_fatal"]!.GetValue<bool>() ? "fatal" : "not fatal")}");
            findings.Add(new("SXid", Int(sxid["sxid"]), Str(sxid["pci"])));
        }

        if (Str(node?["fallen_off_pci"]) is { Length: > 0 } fallen)
        {
            parts.Add($"fallen off {fallen}");
            findings.Add(new("fallen off", 79, fallen));
        }

        if (Str(node?["error"]) is { Length: > 0 } error)
        {
            parts.Add($"error: {error}");
        }

        return Make(parts, findings);
    }

    public static MonitorVerdict FromKonduktor(JsonNode? node)
    {
        if (node?["flagged"]?.GetValue<bool>() != true)
        {
            return new(Nothing, []);
        }

        var code = Int(node["code"]);
        var isSxidError = node["sxid_error"]!.GetValue<bool>();
        return new($"node flagged, (S)Xid error {(isSxidError ? "yes" : "no")}, code {code}", code == 0 ? [] : [new("(S)Xid", code, "")]);
    }

    private static MonitorVerdict Make(List<string> parts, List<MonitorFinding> findings) => new(parts.Count == 0 ? Nothing : string.Join("; ", parts), findings);

    private static string Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : "";

    private static int Int(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var i) ? i : int.Parse(Str(node), CultureInfo.InvariantCulture);
}
