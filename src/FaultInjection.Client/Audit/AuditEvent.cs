namespace FaultInjection.Client.Audit;

/// <summary>One audit event kept by an agent (<c>inject</c>, <c>clear</c>, <c>expire</c>, <c>stop</c>, <c>release</c>, <c>reboot</c>).</summary>
public sealed class AuditEvent
{
    /// <summary>When the agent recorded the event.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The node whose agent recorded it.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>What happened: <c>inject</c>, <c>clear</c>, <c>expire</c>, <c>reboot</c>, <c>stop</c> or <c>release</c>.</summary>
    public string Action { get; init; } = "";

    /// <summary>Who did it, as the agent authenticated the call (<c>fault-api/&lt;caller&gt;</c> through the API).</summary>
    public string Caller { get; init; } = "";

    /// <summary>The fault the event is about (empty for node-wide actions).</summary>
    public string FaultId { get; init; } = "";

    /// <summary>What it touched: <c>&lt;node&gt;/gpu&lt;n&gt;</c>, <c>&lt;node&gt;/nvswitch&lt;n&gt;</c>, or the node for a stop.</summary>
    public string Target { get; init; } = "";

    /// <summary>The outcome: <c>injected</c>, <c>outcome_unknown</c>, <c>partially_written</c>, <c>cleared</c>, <c>expired</c>, <c>resolved_by_reboot</c>, <c>engaged</c>, <c>released</c>.</summary>
    public string Result { get; init; } = "";

    /// <summary>The fault type of an injection, else the reason given for the change.</summary>
    public string Detail { get; init; } = "";
}
