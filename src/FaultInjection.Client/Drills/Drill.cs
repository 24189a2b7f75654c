namespace FaultInjection.Client.Drills;

/// <summary>
/// A drill as <c>GET /api/v1/drills/{id}</c> returns it: the injection (t0 = <see cref="InjectedAt"/>), the
/// expectations, the observed <see cref="Steps"/> (the timeline) and the verdict (<see cref="State"/>, <see cref="Reason"/>, <see cref="Missing"/>).
/// </summary>
public sealed class Drill
{
    public string DrillId { get; init; } = "";

    public string NodeName { get; init; } = "";

    /// <summary><c>xid</c> or <c>sxid</c>.</summary>
    public string Kind { get; init; } = "";

    public int Code { get; init; }

    public int? GpuId { get; init; }

    public int? Nvswitch { get; init; }

    public int? Link { get; init; }

    public string? Message { get; init; }

    public IReadOnlyList<string> Expect { get; init; } = [];

    public double TimeoutSeconds { get; init; }

    /// <summary><see cref="DrillStates"/>: <c>running</c>, <c>passed</c>, <c>failed</c>, <c>cancelled</c>.</summary>
    public string State { get; init; } = "";

    /// <summary>Why it ended (timeout naming what was never observed, the cancellation's reason, an error).</summary>
    public string? Reason { get; init; }

    /// <summary>Expectations not met (yet, or at the end).</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    public string Caller { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? InjectedAt { get; init; }

    public DateTimeOffset? Deadline { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string? FaultId { get; init; }

    /// <summary>The kernel-log line written.</summary>
    public string? Line { get; init; }

    public ulong? KernelTimestampUs { get; init; }

    public ulong? KernelSequence { get; init; }

    public DrillBaseline Baseline { get; init; } = new();

    /// <summary>The timeline: <c>injected</c> first, then each expectation when it was observed.</summary>
    public IReadOnlyList<DrillStep> Steps { get; init; } = [];

    /// <summary>True once the drill is no longer <c>running</c>.</summary>
    public bool IsFinished => State.Length > 0 && State != DrillStates.Running;

    /// <summary>True when every expectation was observed.</summary>
    public bool Passed => State == DrillStates.Passed;
}
