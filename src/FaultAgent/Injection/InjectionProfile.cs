using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FaultAgent.Injection;

/// <summary>
/// Benchmark-only wall-time spans of one injection's phases (<see cref="InjectionPhase"/>), on when the environment
/// variable <see cref="FileVariable"/> names a file and off otherwise (then every call is one test of a static field).
/// The spans of the injection under way live in one static slot, so the figures are right only for injections made
/// one at a time (the benchmark's profile phase: sequential gRPC calls); the handler's whole time is kept beside them
/// and the difference is what no phase names. Beside them, for the tail's attribution (#14): the garbage collections
/// (per generation) and the GC pause time that fell inside the handler, the GC pause time between the previous
/// injection's end and this one's start (the gRPC transport's part of the round trip), and the journal bytes the
/// injection's fsync flushed; the bytes the process allocated inside the handler and since the previous injection's end
/// (<c>GC.GetTotalAllocatedBytes</c>, not precise: counted per allocation context, so read as means over many injections),
/// the collections per generation since the previous injection's end, and, when one fell there, the last collection's
/// generation, pause and promoted bytes (<c>GC.GetGCMemoryInfo</c>). At process exit (SIGTERM) every injection's spans are written to the file, one line each,
/// tab-separated, under a header of the phase names, <c>Handler</c>, then those columns (times in microseconds).
/// Never set it in production.
/// </summary>
public static class InjectionProfile
{
    /// <summary>The environment variable that turns the profile on and names its output file.</summary>
    public const string FileVariable = "FAULT_AGENT_PROFILE_FILE";

    private static readonly int PhaseCount = Enum.GetValues<InjectionPhase>().Length;
    private static readonly string? OutputFile = Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } file ? file : null;
    private static readonly long[] Current = new long[PhaseCount];
    private static readonly List<long[]> Samples = [];
    private static readonly List<string> Compactions = [];
    private static readonly string[] ExtraColumns = ["Gen0", "Gen1", "Gen2", "GcPause", "GcPauseBefore", "FsyncBytes", "Allocated", "AllocatedBefore", "Gen0Before", "Gen1Before", "Gen2Before", "LastGcGen", "LastGcPause", "LastGcPromoted"];
    private static long _handBackAt;
    private static long _fsyncBytes;
    private static int _gen0AtBegin, _gen1AtBegin, _gen2AtBegin;
    private static long _pauseAtBegin, _pauseAtComplete;
    private static long _allocatedAtBegin, _allocatedAtComplete;
    private static int _gen0AtComplete, _gen1AtComplete, _gen2AtComplete;
    private static long _lastGcGen = -1, _lastGcPause, _lastGcPromoted;
    private static long _swapTail, _swapRename, _syncClose, _syncDirectory;

    [ThreadStatic]
    private static bool t_unprofiled;

    static InjectionProfile()
    {
        if (OutputFile is not null)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Write();
        }
    }

    /// <summary>True when the profile is on.</summary>
    public static bool Enabled => OutputFile is not null;

    /// <summary>A timestamp to pass to <see cref="Add"/>; 0 when the profile is off.</summary>
    public static long Start() => OutputFile is null || t_unprofiled ? 0 : Stopwatch.GetTimestamp();

    /// <summary>
    /// Runs <paramref name="start"/> (e.g. queueing background work) with <see cref="Start"/> returning 0 on this thread,
    /// so that what it begins adds nothing to the injection under way.
    /// </summary>
    public static T Unprofiled<T>(Func<T> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (OutputFile is null)
        {
            return start();
        }

        t_unprofiled = true;
        try
        {
            return start();
        }
        finally
        {
            t_unprofiled = false;
        }
    }

    /// <summary>Adds the time since <paramref name="start"/> to <paramref name="phase"/> of the injection under way.</summary>
    public static void Add(InjectionPhase phase, long start)
    {
        if (OutputFile is not null && start != 0)
        {
            Current[(int)phase] += Stopwatch.GetTimestamp() - start;
        }
    }

    /// <summary>Marks the moment the namespace thread finished a work item (the hand-back starts).</summary>
    public static void HandBack()
    {
        if (OutputFile is not null)
        {
            Volatile.Write(ref _handBackAt, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Adds the hand-back (namespace thread done → caller running again) to <see cref="InjectionPhase.NamespaceHop"/>.</summary>
    public static void Resumed() => Add(InjectionPhase.NamespaceHop, Volatile.Read(ref _handBackAt));

    /// <summary>Starts a new injection's spans.</summary>
    public static long Begin()
    {
        if (OutputFile is null)
        {
            return 0;
        }

        Array.Clear(Current);
        _fsyncBytes = 0;
        _gen0AtBegin = GC.CollectionCount(0);
        _gen1AtBegin = GC.CollectionCount(1);
        _gen2AtBegin = GC.CollectionCount(2);
        _pauseAtBegin = GC.GetTotalPauseDuration().Ticks;
        _allocatedAtBegin = GC.GetTotalAllocatedBytes(precise: false);
        _lastGcGen = -1;
        if (_allocatedAtComplete != 0 && _gen0AtBegin != _gen0AtComplete)
        {
            // A collection since the previous injection: which one, and what it cost (read here, outside the handler's spans).
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            _lastGcGen = info.Generation;
            _lastGcPause = info.PauseDurations.Length > 0 ? info.PauseDurations[0].Ticks : 0;
            _lastGcPromoted = info.PromotedBytes;
        }

        return Stopwatch.GetTimestamp();
    }

    /// <summary>Notes the journal bytes an fsync of the injection under way flushed (appended since the previous fsync).</summary>
    public static void FsyncFlushed(long bytes)
    {
        if (OutputFile is not null)
        {
            _fsyncBytes += bytes;
        }
    }

    /// <summary>
    /// Keeps one background compaction of the journal (#14): its snapshot's write (off every injection's path), the write
    /// gate's hold for the swap, the time after the gate (the directory's fsync and the old descriptor's close, outside the
    /// gate since the agenthot pass; the last two columns split it), the records
    /// written and the entries carried over. Written at exit beside the spans, to the file's name plus <c>.compactions</c>,
    /// one tab-separated line each (times in microseconds).
    /// </summary>
    public static void Compacted(TimeSpan written, TimeSpan swap, TimeSpan afterGate, int entries, int carried)
    {
        if (OutputFile is null)
        {
            return;
        }

        lock (Compactions)
        {
            Compactions.Add(string.Create(CultureInfo.InvariantCulture, $"{written.TotalMicroseconds:0.0}\t{swap.TotalMicroseconds:0.0}\t{entries}\t{carried}\t{afterGate.TotalMicroseconds:0.0}\t{Micros(_swapTail):0.0}\t{Micros(_swapRename):0.0}\t{Micros(_syncClose):0.0}\t{Micros(_syncDirectory):0.0}"));
        }
    }

    /// <summary>
    /// Notes the steps of the compaction's swap under the gate (Stopwatch ticks): the tail's copy and fsync, then the rename;
    /// written with the next <see cref="Compacted"/>.
    /// </summary>
    public static void CompactionSwapSteps(long tail, long rename)
    {
        if (OutputFile is not null)
        {
            _swapTail = tail;
            _swapRename = rename;
        }
    }

    /// <summary>Notes the steps after the gate (Stopwatch ticks): the retired descriptor's close (after the directory's fsync), the directory's fsync.</summary>
    public static void CompactionSyncSteps(long close, long directorySync)
    {
        if (OutputFile is not null)
        {
            _syncClose = close;
            _syncDirectory = directorySync;
        }
    }

    /// <summary>Ends the injection begun at <paramref name="start"/> and keeps its spans.</summary>
    public static void Complete(long start)
    {
        if (OutputFile is null || start == 0)
        {
            return;
        }

        var handler = Stopwatch.GetTimestamp() - start;
        var pause = GC.GetTotalPauseDuration().Ticks;
        var sample = new long[PhaseCount + 1 + ExtraColumns.Length];
        Array.Copy(Current, sample, PhaseCount);
        sample[PhaseCount] = handler;
        sample[PhaseCount + 1] = GC.CollectionCount(0) - _gen0AtBegin;
        sample[PhaseCount + 2] = GC.CollectionCount(1) - _gen1AtBegin;
        sample[PhaseCount + 3] = GC.CollectionCount(2) - _gen2AtBegin;
        sample[PhaseCount + 4] = pause - _pauseAtBegin;
        sample[PhaseCount + 5] = _pauseAtComplete == 0 ? 0 : _pauseAtBegin - _pauseAtComplete;
        sample[PhaseCount + 6] = _fsyncBytes;
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        sample[PhaseCount + 7] = allocated - _allocatedAtBegin;
        sample[PhaseCount + 8] = _allocatedAtComplete == 0 ? 0 : _allocatedAtBegin - _allocatedAtComplete;
        sample[PhaseCount + 9] = _allocatedAtComplete == 0 ? 0 : _gen0AtBegin - _gen0AtComplete;
        sample[PhaseCount + 10] = _allocatedAtComplete == 0 ? 0 : _gen1AtBegin - _gen1AtComplete;
        sample[PhaseCount + 11] = _allocatedAtComplete == 0 ? 0 : _gen2AtBegin - _gen2AtComplete;
        sample[PhaseCount + 12] = _lastGcGen;
        sample[PhaseCount + 13] = _lastGcGen < 0 ? 0 : _lastGcPause;
        sample[PhaseCount + 14] = _lastGcGen < 0 ? 0 : _lastGcPromoted;
        _pauseAtComplete = pause;
        _allocatedAtComplete = allocated;
        _gen0AtComplete = GC.CollectionCount(0);
        _gen1AtComplete = GC.CollectionCount(1);
        _gen2AtComplete = GC.CollectionCount(2);
        lock (Samples)
        {
            Samples.Add(sample);
        }
    }

    private static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    private static void Write()
    {
        var text = new StringBuilder();
        text.AppendJoin('\t', Enum.GetNames<InjectionPhase>()).Append("\tHandler\t").AppendJoin('\t', ExtraColumns).Append('\n');
        lock (Samples)
        {
            foreach (var sample in Samples)
            {
                // Stopwatch ticks up to the handler; then three counts, two TimeSpan tick spans, a byte count.
                text.AppendJoin('\t', sample.Take(PhaseCount + 1).Select(t => (t * 1_000_000.0 / Stopwatch.Frequency).ToString("0.0", CultureInfo.InvariantCulture)))
                    .Append('\t').AppendJoin('\t', sample.Skip(PhaseCount + 1).Take(3).Select(c => c.ToString(CultureInfo.InvariantCulture)))
                    .Append('\t').AppendJoin('\t', sample.Skip(PhaseCount + 4).Take(2).Select(t => (t / 10.0).ToString("0.0", CultureInfo.InvariantCulture)))
                    .Append('\t').AppendJoin('\t', sample.Skip(PhaseCount + 6).Take(7).Select(c => c.ToString(CultureInfo.InvariantCulture)))
                    .Append('\t').Append((sample[PhaseCount + 13] / 10.0).ToString("0.0", CultureInfo.InvariantCulture))
                    .Append('\t').Append(sample[PhaseCount + 14].ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        File.WriteAllText(OutputFile!, text.ToString());
        lock (Compactions)
        {
            File.WriteAllLines(OutputFile + ".compactions", ["Written\tSwap\tEntries\tCarried\tAfterGate\tSwapTail\tSwapRename\tSyncClose\tSyncDirectory", .. Compactions]);
        }
    }
}
