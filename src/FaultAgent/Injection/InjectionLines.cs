namespace FaultAgent.Injection;

/// <summary>What one injection writes, in order, and how monitors will read its main line.</summary>
/// <param name="MonitorLine">
/// The Xid/SXid line as monitors read it (journald MESSAGE, dmesg text), e.g.
/// <c>NVRM: Xid (PCI:0000:3b:00): 79, pid='&lt;unknown&gt;', name=&lt;unknown&gt;, GPU has fallen off the bus.</c>
/// (<c>Fault.line</c>).
/// </param>
/// <param name="Message">The body after <c>"&lt;code&gt;, "</c> (<c>Fault.message</c>).</param>
/// <param name="Records">Every record to write, companion lines included, each exactly one /dev/kmsg write.</param>
/// <param name="MainRecordIndex">Index in <paramref name="Records"/> of the Xid/SXid record itself.</param>
public sealed record InjectionLines(
    string MonitorLine,
    string Message,
    IReadOnlyList<KernelLogLine> Records,
    int MainRecordIndex)
{
    public KernelLogLine MainRecord => Records[MainRecordIndex];

    /// <summary>What could not be written exactly as the driver would, and why (<c>Fault.notes</c>).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
