using System.Text.Json.Serialization;

namespace FaultApi.Faults;

/// <summary>Body of <c>POST /api/v1/faults/gpu/inject/sxid-{n}</c>.</summary>
public sealed class InjectSxidBody : IInjectionTargetBody
{
    [JsonPropertyName("node_name")]
    public string? NodeName { get; set; }

    [JsonPropertyName("node_selector")]
    public string? NodeSelector { get; set; }

    [JsonPropertyName("count")]
    public int? Count { get; set; }

    /// <summary>Required: the N of nvidia-nvswitchN (0 to 63).</summary>
    [JsonPropertyName("nvswitch")]
    public int? NvSwitch { get; set; }

    /// <summary>Required: the NVLink port on that switch (0 to 63).</summary>
    [JsonPropertyName("link")]
    public int? Link { get; set; }

    [JsonPropertyName("pci_bus_id")]
    public string? PciBusId { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("duration")]
    public double? Duration { get; set; }

    [JsonPropertyName("dry_run")]
    public bool DryRun { get; set; }

    [JsonPropertyName("fault_id")]
    public string? FaultId { get; set; }

    /// <summary>Append <c> (First)</c>, as the driver marks the first error of a burst.</summary>
    [JsonPropertyName("first")]
    public bool First { get; set; }

    /// <summary><c>Fatal</c>, <c>Non-fatal</c> or <c>Correctable</c>; unset: the catalog's.</summary>
    [JsonPropertyName("error_class")]
    public string? ErrorClass { get; set; }

    /// <summary>Words of the follow-up <c>Data {...}</c> lines: flags, then data[0..15].</summary>
    [JsonPropertyName("data")]
    public IReadOnlyList<uint>? Data { get; set; }

    /// <summary>Write the SXid line alone, without the Severity and Data lines.</summary>
    [JsonPropertyName("omit_companion_records")]
    public bool OmitCompanionRecords { get; set; }

    /// <summary><c>["kmsg"]</c> (the default); <c>"dcgm"</c> is refused: NVSwitch faults have no DCGM surface here.</summary>
    [JsonPropertyName("surfaces")]
    public IList<string>? Surfaces { get; init; }

    /// <summary>After a successful (not dry-run) injection, start nvidia-bug-report.sh on the node (trigger <c>injection:&lt;fault_id&gt;</c>).</summary>
    [JsonPropertyName("collect_bug_report")]
    public bool CollectBugReport { get; set; }
}
