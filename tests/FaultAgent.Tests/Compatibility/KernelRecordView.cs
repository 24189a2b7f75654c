using FaultAgent.Injection;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// One kernel-log record as each monitor receives it. <paramref name="FromUserSpace"/>: a record this agent writes
/// (facility user: journald cuts the leading <c>NVRM:</c> identifier off MESSAGE, so the text carries it twice);
/// otherwise a record the driver printed (facility kern: MESSAGE is the whole text).
/// </summary>
internal sealed record KernelRecordView(string Text, bool FromUserSpace)
{
    /// <summary>journald's MESSAGE, which NVSentinel's syslog-health-monitor reads (<c>_TRANSPORT=kernel</c>).</summary>
    public string JournalMessage => FromUserSpace ? JournaldIdentifier.Parse(Text).Message : Text;

    /// <summary>What a /dev/kmsg reader gets after the header's <c>;</c> (gpud): interior newlines as <c>\x0a</c>.</summary>
    public string KmsgText => KernelLogText.KmsgEscaped(Text);

    /// <summary>What <c>dmesg -w</c> prints (Konduktor's DaemonSet, one Loki line each): a multi-line record's lines on their own.</summary>
    public IReadOnlyList<string> DmesgLines => Text.Split('\n');

    /// <summary>The syslog file's lines (azurehpc-health-checks): <c>date host tag: message</c>.</summary>
    public IReadOnlyList<string> SyslogLines =>
        [.. JournalMessage.Split('\n').Select(line => $"Dec  1 12:00:00 gpu-node-001 {(FromUserSpace ? "NVRM" : "kernel")}: {line}")];
}
