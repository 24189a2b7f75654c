using FaultApi.Drills;

namespace FaultApi.Suites;

/// <summary>
/// One drill of a suite as stored and returned: what to run (one node: a <c>node_selector</c> drill is expanded into one
/// entry per node chosen), its state (<see cref="SuiteState"/>), and once it ended its verdict and timeline, copied from
/// the drill's record.
/// </summary>
public sealed class SuiteDrill
{
    public int Index { get; set; }

    public string Name { get; set; } = "";

    public string NodeName { get; set; } = "";

    /// <summary><c>xid</c> or <c>sxid</c>.</summary>
    public string Kind { get; set; } = "xid";

    public int Code { get; set; }

    public int? GpuId { get; set; }

    public int? Nvswitch { get; set; }

    public int? Link { get; set; }

    public string? Message { get; set; }

    public IList<string>? Surfaces { get; init; }

    public IList<string> Expect { get; init; } = [];

    public double? TimeoutSeconds { get; set; }

    public SuiteState State { get; set; } = SuiteState.Pending;

    /// <summary>Its drill's id (within <see cref="SuiteRecordCaps.IdBytes"/>, as every copied text is within its cap).</summary>
    public string? DrillId { get; set => field = SuiteRecordCaps.Text(value, SuiteRecordCaps.IdBytes); }

    public string? FaultId { get; set => field = SuiteRecordCaps.Text(value, SuiteRecordCaps.IdBytes); }

    /// <summary>Why it ended (the drill's reason, or the problem that kept it from starting), within <see cref="SuiteRecordCaps.ReasonBytes"/>.</summary>
    public string? Reason { get; set => field = SuiteRecordCaps.Text(value, SuiteRecordCaps.ReasonBytes); }

    public IList<string> Missing { get; set; } = [];

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? InjectedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The kernel line written, within <see cref="SuiteRecordCaps.LineBytes"/>.</summary>
    public string? Line { get; set => field = SuiteRecordCaps.Text(value, SuiteRecordCaps.LineBytes); }

    public IList<DrillStep> Steps { get; set; } = [];

    /// <summary>The drill request this entry makes.</summary>
    public DrillBody ToDrillBody() => new()
    {
        NodeName = NodeName,
        GpuId = Kind == "xid" ? GpuId : null,
        Xid = Kind == "xid" ? Code : null,
        Sxid = Kind == "sxid" ? Code : null,
        NvSwitch = Nvswitch,
        Link = Link,
        Message = Message,
        Surfaces = Surfaces,
        Expect = [.. Expect],
        TimeoutSeconds = TimeoutSeconds,
    };

    /// <summary>
    /// Copies a drill's outcome (state, reason, what was missing, times, timeline) within <see cref="SuiteRecordCaps"/>:
    /// <c>missing</c> and the steps name only this entry's expectations (and <c>injected</c>), each once.
    /// </summary>
    public void Take(DrillRecord drill)
    {
        ArgumentNullException.ThrowIfNull(drill);
        DrillId = drill.DrillId;
        FaultId = drill.FaultId;
        State = SuiteDrillStates.Of(drill.State);
        Reason = drill.Reason;
        EndedAt = drill.EndedAt;
        Line = drill.Line;
        TakeProgress(drill);
    }

    /// <summary>Copies a drill's progress so far (what is missing, t0, the steps), within <see cref="SuiteRecordCaps"/> as <see cref="Take"/> does.</summary>
    public void TakeProgress(DrillRecord drill)
    {
        ArgumentNullException.ThrowIfNull(drill);
        Missing = [.. drill.Missing.Where(Expect.Contains).Distinct(StringComparer.Ordinal)];
        InjectedAt = drill.InjectedAt;
        Steps = SuiteRecordCaps.Steps(drill.Steps, Expect);
    }
}
