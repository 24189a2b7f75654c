namespace FaultInjection.Client.Dcgm;

/// <summary>One DCGM field the agents inject (<c>GET /api/v1/faults/gpu/dcgm-fields</c>).</summary>
public sealed class DcgmFieldType
{
    /// <summary>The DCGM field id (dcgm_fields.h), e.g. 230 for the Xid field.</summary>
    public int FieldId { get; init; }

    /// <summary>The dcgm_fields.h name tools use (<c>DCGM_FI_DEV_XID_ERRORS</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>The name DCGM 4.6 gave it (<c>DCGM_FI_DEV_XID_ERROR</c>), null when unchanged.</summary>
    public string? NewName { get; init; }

    /// <summary>DCGM's long description of the field.</summary>
    public string LongName { get; init; } = "";

    /// <summary>DCGM's short name (the <c>dcgmi dmon</c> column).</summary>
    public string ShortName { get; init; } = "";

    /// <summary>DCGM's value type (<c>int64</c>, <c>double</c>, ...).</summary>
    public string Type { get; init; } = "";

    /// <summary>The value's unit (empty when it has none).</summary>
    public string Unit { get; init; } = "";

    /// <summary>A value of a healthy GPU (what ending a fault writes back when DCGM held none).</summary>
    public string HealthyValue { get; init; } = "";

    /// <summary>A value DCGM's health watches or an alert rule react to.</summary>
    public string AlertValue { get; init; } = "";

    /// <summary>The smallest value the agents accept for the field.</summary>
    public long MinValue { get; init; }

    /// <summary>The largest value the agents accept for the field.</summary>
    public long MaxValue { get; init; }

    /// <summary><c>event</c> or <c>polled</c>: how DCGM itself updates the field.</summary>
    public string UpdatedBy { get; init; } = "";

    /// <summary>Which monitors read the field (DCGM health watches, dcgm-exporter, NVSentinel).</summary>
    public string Monitors { get; init; } = "";
}
