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

    public string? DrillId { get; set; }

    public string? FaultId { get; set; }

    /// <summary>Why it ended (the drill's reason, or the problem that kept it from starting).</summary>
    public string? Reason { get; set; }

    public IList<string> Missing { get; set; } = [];

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? InjectedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? Line { get; set; }

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

    /// <summary>Copies a drill's outcome (state, reason, what was missing, times, timeline).</summary>
    public void Take(DrillRecord drill)
    {
        ArgumentNullException.ThrowIfNull(drill);
        DrillId = drill.DrillId;
        FaultId = drill.FaultId;
        State = SuiteDrillStates.Of(drill.State);
        Reason = drill.Reason;
        Missing = [.. drill.Missing];
        InjectedAt = drill.InjectedAt;
        EndedAt = drill.EndedAt;
        Line = drill.Line;
        Steps = [.. drill.Steps];
    }
}
