namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// Keeps every record of the machine's kernel log from the moment it starts (a <see cref="KernelLogReader"/>: dd at
/// SCHED_FIFO into a pipe, drained on a thread of its own, separate from the code under test), so a test's oracle does
/// not depend on the kernel's ring buffer still holding its records when it looks: the ring here keeps ~1,370 records,
/// and other writers (the other test assembly, a GPU node's driver and monitors, anything else on the machine) can
/// overwrite a burst's records before a test reads them with dmesg. Records the reader itself missed (EPIPE: it fell
/// behind the ring) are kept as gaps of sequence numbers (<see cref="Lost"/>, <see cref="Gaps"/>), and every answer
/// that asserts on the log fails naming them.
/// </summary>
public sealed class KernelLogRecorder : IKernelLogRecordSink, IDisposable
{
    private readonly KernelLogRecordStore _store = new();
    private readonly KernelLogReader _reader;

    private KernelLogRecorder() => _reader = KernelLogReader.Start(this, fromTheEnd: false);

    /// <summary>Records the reader could not read because the ring overwrote them first (0 when it kept up).</summary>
    public long Lost => _reader.Lost;

    /// <summary>The sequence ranges (inclusive) the ring overwrote before the reader read them, since it caught up.</summary>
    public IReadOnlyList<(ulong First, ulong Last)> Gaps => _reader.Gaps;

    /// <summary>
    /// Starts the reader and returns once it has caught up with the head of the log (it read a marker written here), so
    /// every record written after this call is either read or counted in <see cref="Lost"/>. Records the ring overwrote
    /// while the reader was still catching up with the older ones are not counted: they predate the test.
    /// </summary>
    public static KernelLogRecorder Start() => new();

    /// <summary>
    /// Fails the test if the reader fell behind the ring, naming the sequences it lost: its answers would miss whatever
    /// those records held (a line the test looks for, or a second copy of one).
    /// </summary>
    public void AssertNoneLost()
    {
        var lost = Lost;
        Assert.True(lost == 0, lost == 0 ? "" : LostMessage());
    }

    /// <summary>Why the recorder's answer is incomplete (the gaps of sequence numbers), for a test's failure message.</summary>
    public string LostMessage() =>
        $"The kernel log recorder fell behind the kernel's ring buffer (other writers logging faster than it read): the ring overwrote {KernelLogReader.Describe(Gaps)} before it read them; whether those held this test's records cannot be told, so its snapshot cannot prove what the log holds.";

    /// <summary>
    /// Every record seen so far, sequence -> text (including records from before <see cref="Start"/> that the ring still
    /// held): writes a marker record of its own and returns once the reader has read up to it, so every record written
    /// before this call is in the answer (or in a gap of <see cref="Gaps"/>).
    /// </summary>
    public KernelLogRecordDictionary Snapshot()
    {
        _reader.CatchUp();
        return new KernelLogRecordDictionary(_store, _store.Count);
    }

    /// <summary>
    /// The text of every record written so far that contains <paramref name="marker"/>, in sequence order: a
    /// <see cref="Snapshot"/>, after which the test fails if the recorder missed any record (an answer with a gap could
    /// hide a line, or a second one), naming the sequences it missed.
    /// </summary>
    public IReadOnlyList<string> SnapshotContaining(string marker)
    {
        var records = Snapshot();
        AssertNoneLost();
        return [.. records.RecordsContaining(marker).Select(r => r.Text)];
    }

    /// <summary>The text of every recorded record containing <paramref name="marker"/>, in sequence order.</summary>
    public static IReadOnlyList<string> Containing(IReadOnlyDictionary<ulong, string> records, string marker)
    {
        ArgumentNullException.ThrowIfNull(records);
        return records is KernelLogRecordDictionary snapshot
            ? [.. snapshot.RecordsContaining(marker).Select(r => r.Text)]
            : [.. records.OrderBy(r => r.Key).Select(r => r.Value).Where(text => text.Contains(marker, StringComparison.Ordinal))];
    }

    public void Dispose() => _reader.Dispose();

    void IKernelLogRecordSink.Record(ulong sequence, int priority, ulong microseconds, ReadOnlySpan<byte> text) =>
        _store.Append(sequence, priority, microseconds, text);

    void IKernelLogRecordSink.Gap(ulong first, ulong last)
    {
    }
}
