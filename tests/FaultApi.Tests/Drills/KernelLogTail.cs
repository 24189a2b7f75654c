using System.Text;
using System.Threading.Channels;
using FaultAgent.Tests.Infrastructure;

namespace FaultApi.Tests.Drills;

/// <summary>
/// A follower of the machine's kernel log from its end, as a health monitor following /dev/kmsg is: it yields, in
/// sequence order, every record written after it started whose text contains a given text, and every gap — records the
/// ring overwrote before its reader read them, by other writers logging faster than it read. It reads through the tests'
/// one kernel-log reading core (<see cref="KernelLogReader"/>: dd at SCHED_FIFO into an up-to-8-MiB pipe, the
/// combination that lost no record beside 2 unthrottled writers), so it loses records only where the best reader here
/// would, and never silently: every gap since its start is in <see cref="Gaps"/> and in its events.
/// </summary>
public sealed class KernelLogTail : IKernelLogRecordSink, IDisposable
{
    private readonly byte[] _contains;
    private readonly byte[]? _dropping;
    private readonly Channel<KernelLogTailEvent> _events = Channel.CreateUnbounded<KernelLogTailEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly List<(ulong First, ulong Last)> _gaps = [];
    private readonly KernelLogReader _reader;
    private int _disposed;

    /// <param name="contains">Only records whose text contains this are yielded (the reader thread drops the others without allocating).</param>
    /// <param name="dropping">Test-only: records whose text contains this are not yielded but reported as lost (a gap of their one sequence), as if the ring had overwritten them before the reader read them.</param>
    public KernelLogTail(string contains, string? dropping = null)
    {
        _contains = Encoding.ASCII.GetBytes(contains);
        _dropping = dropping is null ? null : Encoding.ASCII.GetBytes(dropping);
        _reader = KernelLogReader.Start(this, fromTheEnd: true);
    }

    /// <summary>The sequence of the reader's start marker: the tail yields what came after it.</summary>
    public ulong StartedAt => _reader.CaughtUpAt ?? 0;

    /// <summary>Every gap since the start, in order.</summary>
    public IReadOnlyList<(ulong First, ulong Last)> Gaps
    {
        get
        {
            lock (_gaps)
            {
                return [.. _gaps];
            }
        }
    }

    /// <summary>The next record or gap, or null when cancelled.</summary>
    public async ValueTask<KernelLogTailEvent?> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _events.Reader.ReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _reader.Dispose();
        _events.Writer.TryComplete();
    }

    void IKernelLogRecordSink.Record(ulong sequence, int priority, ulong microseconds, ReadOnlySpan<byte> text)
    {
        if (text.IndexOf(_contains) < 0)
        {
            return;
        }

        if (_dropping is not null && text.IndexOf(_dropping) >= 0)
        {
            ((IKernelLogRecordSink)this).Gap(sequence, sequence);
            return;
        }

        _events.Writer.TryWrite(new KernelLogTailEvent(sequence, sequence, Encoding.ASCII.GetString(text)));
    }

    void IKernelLogRecordSink.Gap(ulong first, ulong last)
    {
        lock (_gaps)
        {
            _gaps.Add((first, last));
        }

        _events.Writer.TryWrite(new KernelLogTailEvent(first, last, null));
    }
}
