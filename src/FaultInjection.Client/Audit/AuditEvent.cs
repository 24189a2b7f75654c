namespace FaultInjection.Client.Audit;

/// <summary>One audit event kept by an agent (<c>inject</c>, <c>clear</c>, <c>expire</c>, <c>stop</c>, <c>release</c>, <c>reboot</c>).</summary>
public sealed class AuditEvent
{
    public DateTimeOffset At { get; init; }

    public string NodeName { get; init; } = "";

    public string Action { get; init; } = "";

    public string Caller { get; init; } = "";

    public string FaultId { get; init; } = "";

    public string Target { get; init; } = "";

    public string Result { get; init; } = "";

    public string Detail { get; init; } = "";
}
