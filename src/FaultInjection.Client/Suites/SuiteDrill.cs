using FaultInjection.Client.Drills;

namespace FaultInjection.Client.Suites;

/// <summary>One drill of a suite: what it runs on which node, its state, and once it ended its verdict and timeline.</summary>
public sealed class SuiteDrill
{
    /// <summary>The drill's position in the suite (0-based).</summary>
    public int Index { get; init; }

    /// <summary>The drill's name (the JUnit testcase's name with its node).</summary>
    public string Name { get; init; } = "";

    /// <summary>The node the drill runs on.</summary>
    public string NodeName { get; init; } = "";

    /// <summary><c>xid</c> or <c>sxid</c>.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The Xid or SXid number.</summary>
    public int Code { get; init; }

    /// <summary>The GPU of an Xid drill.</summary>
    public int? GpuId { get; init; }

    /// <summary>The NVSwitch of an SXid drill.</summary>
    public int? Nvswitch { get; init; }

    /// <summary>The NVSwitch link of an SXid drill.</summary>
    public int? Link { get; init; }

    /// <summary>The expectations.</summary>
    public IReadOnlyList<string> Expect { get; init; } = [];

    /// <summary>The drill's timeout.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary><see cref="SuiteStates"/>: <c>pending</c>, <c>starting</c>, <c>running</c>, then <c>passed</c>, <c>failed</c>, <c>cancelled</c>, <c>error</c> or <c>skipped</c>.</summary>
    public string State { get; init; } = "";

    /// <summary>The drill's id once it started.</summary>
    public string? DrillId { get; init; }

    /// <summary>The injected fault's id.</summary>
    public string? FaultId { get; init; }

    /// <summary>Why it ended (the drill's reason, or the problem that kept it from starting).</summary>
    public string? Reason { get; init; }

    /// <summary>Expectations not observed (yet, or at the end).</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>When the suite started the drill.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>t0: when the kernel recorded the injected line.</summary>
    public DateTimeOffset? InjectedAt { get; init; }

    /// <summary>When the drill ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The kernel-log line written.</summary>
    public string? Line { get; init; }

    /// <summary>The timeline: <c>injected</c> first, then each expectation when it was observed.</summary>
    public IReadOnlyList<DrillStep> Steps { get; init; } = [];
}
