namespace FaultInjection.Client.Drills;

/// <summary>
/// A drill as <c>GET /api/v1/drills/{id}</c> returns it: the injection (t0 = <see cref="InjectedAt"/>), the
/// expectations, the observed <see cref="Steps"/> (the timeline) and the verdict (<see cref="State"/>, <see cref="Reason"/>, <see cref="Missing"/>).
/// </summary>
public sealed class Drill
{
    /// <summary>The drill's id.</summary>
    public string DrillId { get; init; } = "";

    /// <summary>The node the fault was injected on.</summary>
    public string NodeName { get; init; } = "";

    /// <summary><c>xid</c> or <c>sxid</c>.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The Xid or SXid number injected.</summary>
    public int Code { get; init; }

    /// <summary>The GPU of an Xid drill.</summary>
    public int? GpuId { get; init; }

    /// <summary>The NVSwitch of an SXid drill.</summary>
    public int? Nvswitch { get; init; }

    /// <summary>The NVSwitch link of an SXid drill.</summary>
    public int? Link { get; init; }

    /// <summary>The message the injected line carries.</summary>
    public string? Message { get; init; }

    /// <summary>The expectations: <c>condition:&lt;Type&gt;</c>, <c>cordon</c>, <c>taint:&lt;key&gt;</c>, <c>drain[:&lt;namespace&gt;]</c>, <c>reboot</c>, <c>recover</c>.</summary>
    public IReadOnlyList<string> Expect { get; init; } = [];

    /// <summary>How long the drill waits for every expectation after the injection.</summary>
    public double TimeoutSeconds { get; init; }

    /// <summary><see cref="DrillStates"/>: <c>running</c>, <c>passed</c>, <c>failed</c>, <c>cancelled</c>.</summary>
    public string State { get; init; } = "";

    /// <summary>Why it ended (timeout naming what was never observed, the cancellation's reason, an error).</summary>
    public string? Reason { get; init; }

    /// <summary>Expectations not met (yet, or at the end).</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>Who started the drill.</summary>
    public string Caller { get; init; } = "";

    /// <summary>When the drill was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>t0: when the kernel recorded the injected line; null until the injection was confirmed.</summary>
    public DateTimeOffset? InjectedAt { get; init; }

    /// <summary>When the drill fails if an expectation is still missing.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>When the verdict was reached; null while running.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The injected fault's id.</summary>
    public string? FaultId { get; init; }

    /// <summary>The kernel-log line written.</summary>
    public string? Line { get; init; }

    /// <summary>The injected record's kernel timestamp (microseconds since boot).</summary>
    public ulong? KernelTimestampUs { get; init; }

    /// <summary>The injected record's kernel log sequence number.</summary>
    public ulong? KernelSequence { get; init; }

    /// <summary>The node as it was before the injection (what a step is compared against).</summary>
    public DrillBaseline Baseline { get; init; } = new();

    /// <summary>The timeline: <c>injected</c> first, then each expectation when it was observed.</summary>
    public IReadOnlyList<DrillStep> Steps { get; init; } = [];

    /// <summary>True once the drill is no longer <c>running</c>.</summary>
    public bool IsFinished => State.Length > 0 && State != DrillStates.Running;

    /// <summary>True when every expectation was observed.</summary>
    public bool Passed => State == DrillStates.Passed;
}
