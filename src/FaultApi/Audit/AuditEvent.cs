namespace FaultApi.Audit;

/// <summary>One state-changing call, as written by <see cref="IAuditLog"/>.</summary>
/// <param name="Action"><c>inject</c>, <c>clear</c>, <c>stop</c>, <c>release</c>, <c>drill</c>, <c>bug_report</c>, ...</param>
/// <param name="Caller">The authenticated caller.</param>
/// <param name="Target">What it acted on: a node, a node selector, a fault id, <c>cluster</c>.</param>
/// <param name="Result"><c>ok</c>, or the refusal's title.</param>
/// <param name="Status">The HTTP status answered.</param>
/// <param name="FaultIds">The faults concerned (comma-separated), or empty.</param>
/// <param name="Detail">Free text: the reason, the error's detail.</param>
public sealed record AuditEvent(string Action, string Caller, string Target, string Result, int Status, string FaultIds, string Detail);
