using FaultAgent.Injection;

namespace FaultAgent.Faults;

/// <summary>What an injection writes: the records in order, the line as monitors read it, and the catalog's view of it.</summary>
/// <param name="Line">The Xid / SXid line as monitors read it (<c>NVRM: Xid (PCI:0000:3b:00): 79, ...</c>).</param>
/// <param name="Message">The message body after <c>"&lt;code&gt;, "</c>.</param>
/// <param name="Lines">Every record to write, in order (companion lines included).</param>
public sealed record FaultLinePlan(
    string Line,
    string Message,
    IReadOnlyList<KernelLogLine> Lines,
    string Severity,
    string RecommendedAction);
