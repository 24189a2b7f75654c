namespace FaultAgent.Injection;

/// <summary>One record to write to /dev/kmsg: written as <c>&lt;Level&gt;Text\n</c> in a single write().</summary>
/// <param name="Level">Syslog level (3 err, 4 warning). The kernel forces facility LOG_USER on user-space writes.</param>
/// <param name="Text">The record text, e.g. <c>NVRM: NVRM: Xid (PCI:0000:3b:00): 79, ...</c>; printable ASCII, no newline.</param>
public sealed record KernelLogLine(int Level, string Text);
