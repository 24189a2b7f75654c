namespace FaultInjection.Client.Dcgm;

/// <summary>One DCGM field the agents inject (<c>GET /api/v1/faults/gpu/dcgm-fields</c>).</summary>
public sealed class DcgmFieldType
{
    public int FieldId { get; init; }

    /// <summary>The dcgm_fields.h name tools use (<c>DCGM_FI_DEV_XID_ERRORS</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>The name DCGM 4.6 gave it (<c>DCGM_FI_DEV_XID_ERROR</c>), null when unchanged.</summary>
    public string? NewName { get; init; }

    public string LongName { get; init; } = "";

    public string ShortName { get; init; } = "";

    public string Type { get; init; } = "";

    public string Unit { get; init; } = "";

    public string HealthyValue { get; init; } = "";

    /// <summary>A value DCGM's health watches or an alert rule react to.</summary>
    public string AlertValue { get; init; } = "";

    public long MinValue { get; init; }

    public long MaxValue { get; init; }

    /// <summary><c>event</c> or <c>polled</c>: how DCGM itself updates the field.</summary>
    public string UpdatedBy { get; init; } = "";

    public string Monitors { get; init; } = "";
}
