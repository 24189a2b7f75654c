using System.Globalization;
using System.Text;

namespace FaultInjection.Benchmarks;

/// <summary>
/// The profile phase's tail, attributed (#14): joins each injection's client round trip (in order) with the agent's spans
/// of the same injection (FAULT_AGENT_PROFILE_FILE, sequential, so line i is call i) and prints, for the slowest 1 %, the
/// next 1 % and the rest, where their time went: the handler's phases (Fsync, Compaction, the others), the time outside
/// the handler, and the garbage collections and GC pauses that fell inside the handler or since the previous injection
/// (agents before #14's journal pass write no GC or compaction columns: those cells stay empty). Then the slowest ten one by one.
/// </summary>
public static class InjectionTailReport
{
    /// <summary>The byte sizes of the last pending and recorded lines of a journal (0 when it holds none).</summary>
    public static (int Pending, int Recorded) JournalEntrySizes(string journal)
    {
        var pending = 0;
        var recorded = 0;
        if (!File.Exists(journal))
        {
            return (0, 0);
        }

        foreach (var line in File.ReadLines(journal))
        {
            var bytes = Encoding.UTF8.GetByteCount(line) + 1;
            if (line.Contains("\"op\":\"Pending\"", StringComparison.Ordinal))
            {
                pending = bytes;
            }
            else if (line.Contains("\"op\":\"Recorded\"", StringComparison.Ordinal))
            {
                recorded = bytes;
            }
        }

        return (pending, recorded);
    }

    public static void Print(string file, LatencySample client, IReadOnlyList<double>? clientGcPause = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var lines = File.ReadAllLines(file);
        var names = lines[0].Split('\t');
        var rows = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split('\t').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        var count = Math.Min(rows.Count, client.Count);
        if (count == 0)
        {
            return;
        }

        var handler = Array.IndexOf(names, "Handler");
        int Column(string name) => Array.IndexOf(names, name);
        var fsync = Column("Fsync");
        var compaction = Column("Compaction");
        var gen0 = Column("Gen0");
        var gen1 = Column("Gen1");
        var gen2 = Column("Gen2");
        var pause = Column("GcPause");
        var pauseBefore = Column("GcPauseBefore");
        var fsyncBytes = Column("FsyncBytes");
        double Value(double[] row, int column) => column < 0 ? double.NaN : row[column];
        string Cell(double value, string format) => double.IsNaN(value) ? "" : value.ToString(format, CultureInfo.InvariantCulture);

        var order = Enumerable.Range(0, count).OrderByDescending(i => client.Values[i]).ToList();
        var onePercent = Math.Max(1, (int)Math.Ceiling(count / 100.0));
        (string Name, List<int> Members)[] groups =
        [
            ($"slowest 1 % ({onePercent})", order.Take(onePercent).ToList()),
            ($"next 1 % ({onePercent})", order.Skip(onePercent).Take(onePercent).ToList()),
            ($"the other 98 % ({count - 2 * onePercent})", order.Skip(2 * onePercent).ToList()),
        ];

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the profile's tail, attributed ({count} sequential gRPC InjectXid; means per injection; client ms, the rest µs):"));
        Console.WriteLine();
        Console.WriteLine("| injections | client ms | handler | outside the handler | Fsync | Compaction (injections with one) | other phases + not in a phase | with a GC in the handler (gen0/1/2) | GC pause in the handler | GC pause since the previous injection | bytes the fsync flushed |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, members) in groups)
        {
            if (members.Count == 0)
            {
                continue;
            }

            double Mean(Func<int, double> f) => members.Average(f);
            var handlerMean = Mean(i => rows[i][handler]);
            var fsyncMean = Mean(i => Value(rows[i], fsync));
            var compactionMean = compaction < 0 ? double.NaN : Mean(i => rows[i][compaction]);
            var withCompaction = compaction < 0 ? "" : members.Count(i => rows[i][compaction] > 0).ToString(CultureInfo.InvariantCulture);
            var gcs = gen0 < 0 ? "" : string.Create(CultureInfo.InvariantCulture,
                $"{members.Count(i => rows[i][gen0] + rows[i][gen1] + rows[i][gen2] > 0)} ({members.Sum(i => rows[i][gen0]):0}/{members.Sum(i => rows[i][gen1]):0}/{members.Sum(i => rows[i][gen2]):0})");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Mean(i => client.Values[i]):0.000} | {handlerMean:0.0} | {Mean(i => client.Values[i] * 1000) - handlerMean:0.0} | {Cell(fsyncMean, "0.0")} | {Cell(compactionMean, "0.0")} ({withCompaction}) | {handlerMean - (double.IsNaN(fsyncMean) ? 0 : fsyncMean) - (double.IsNaN(compactionMean) ? 0 : compactionMean):0.0} | {gcs} | {Cell(pause < 0 ? double.NaN : Mean(i => rows[i][pause]), "0.0")} | {Cell(pauseBefore < 0 ? double.NaN : Mean(i => rows[i][pauseBefore]), "0.0")} | {Cell(fsyncBytes < 0 ? double.NaN : Mean(i => rows[i][fsyncBytes]), "0")} |"));
        }

        var fsyncs = fsync < 0 ? [] : rows.Take(count).Select(r => r[fsync]).Order().ToList();
        if (fsyncs.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  Fsync over all {count}: p50 {fsyncs[count / 2]:0.0} p90 {fsyncs[(int)(count * 0.9)]:0.0} p99 {fsyncs[Math.Min(count - 1, (int)(count * 0.99))]:0.0} max {fsyncs[^1]:0.0} µs; injections over 2 ms in Fsync: {fsyncs.Count(f => f > 2000)}"));
        }

        if (compaction >= 0)
        {
            var compactions = rows.Take(count).Where(r => r[compaction] > 0).Select(r => r[compaction]).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  compactions during the {count}: {compactions.Count}{(compactions.Count > 0 ? $", {compactions.Average():0.0} µs each (max {compactions.Max():0.0})" : "")}"));
        }

        if (gen0 >= 0)
        {
            var inHandler = rows.Take(count).Count(r => r[gen0] + r[gen1] + r[gen2] > 0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  garbage collections inside the handler: gen0 {rows.Take(count).Sum(r => r[gen0]):0}, gen1 {rows.Take(count).Sum(r => r[gen1]):0}, gen2 {rows.Take(count).Sum(r => r[gen2]):0} in {inHandler} injections; GC pause in handlers {rows.Take(count).Sum(r => r[pause]) / 1000:0.0} ms, between injections {rows.Take(count).Sum(r => r[pauseBefore]) / 1000:0.0} ms"));
        }

        // Agents since #14's agenthot pass: the bytes allocated per injection and every collection between injections,
        // with the last one's generation, pause and promoted bytes (read at the next injection's start).
        var allocated = Column("Allocated");
        if (allocated >= 0)
        {
            var allocatedBefore = Column("AllocatedBefore");
            var gcGen = Column("LastGcGen");
            var gcPause = Column("LastGcPause");
            var gcPromoted = Column("LastGcPromoted");
            var measured = rows.Take(count).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  allocated per injection (mean, GC.GetTotalAllocatedBytes): {measured.Average(r => r[allocated]):0} B in the handler, {measured.Skip(1).Average(r => r[allocatedBefore]):0} B between injections (the transport's side)"));
            foreach (var generation in measured.Where(r => r[gcGen] >= 0).GroupBy(r => r[gcGen]).OrderBy(g => g.Key))
            {
                var pauses = generation.Select(r => r[gcPause]).Order().ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  collections between injections, last one gen{generation.Key:0}: {pauses.Count}, pause p50 {pauses[pauses.Count / 2]:0.0} max {pauses[^1]:0.0} µs, promoted mean {generation.Average(r => r[gcPromoted]) / 1024:0.0} KiB (at #{string.Join(", #", generation.Select(r => measured.IndexOf(r)).Take(12))})"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("the slowest ten (client ms; the agent's spans µs):");
        Console.WriteLine();
        Console.WriteLine("| # | client ms | handler | Fsync | Compaction | largest other phase | not in a phase | gen0/1/2 in the handler | GC pause in / before | fsync'd bytes |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var i in order.Take(10))
        {
            var row = rows[i];
            var largest = Enumerable.Range(0, handler).Where(c => c != fsync && c != compaction).MaxBy(c => row[c]);
            var notInPhase = row[handler] - row.Take(handler).Sum();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {i} | {client.Values[i]:0.000} | {row[handler]:0.0} | {Cell(Value(row, fsync), "0.0")} | {Cell(Value(row, compaction), "0.0")} | {names[largest]} {row[largest]:0.0} | {notInPhase:0.0} | {(gen0 < 0 ? "" : $"{row[gen0]:0}/{row[gen1]:0}/{row[gen2]:0}")} | {(pause < 0 ? "" : $"{row[pause]:0.0} / {row[pauseBefore]:0.0}")} | {Cell(Value(row, fsyncBytes), "0")} |"));
        }

        if (fsync >= 0 && pause >= 0 && compaction >= 0)
        {
            PrintCauses(names, rows.Take(count).ToList(), client.Values.Take(count).ToList(), clientGcPause);
        }
    }

    /// <summary>
    /// What made each of the slowest 2 % slow (#14, the agentp99 pass): every injection's round trip split into parts
    /// (the handler's fsync; its registry gate with the compaction's swap; a GC pause inside the handler; the agent's GC
    /// pause between the previous injection's end and this one's start; the benchmark client's own GC pause during the
    /// call; the handler's other phases and the time no phase names (scheduling); the rest outside the handler: the
    /// transport), each part's excess over its median across the profile, and the cause = the part with the largest
    /// excess. Prints each slow injection with its cause and a table of causes: injections and their summed excess over
    /// the median round trip.
    /// </summary>
    private static void PrintCauses(string[] names, List<double[]> rows, List<double> client, IReadOnlyList<double>? clientGcPause)
    {
        int Column(string name) => Array.IndexOf(names, name);
        var handler = Column("Handler");
        var fsync = Column("Fsync");
        var gate = Column("RegistryGate");
        var compaction = Column("Compaction");
        var pause = Column("GcPause");
        var pauseBefore = Column("GcPauseBefore");
        var count = rows.Count;
        double ClientGc(int i) => clientGcPause is not null && i < clientGcPause.Count ? clientGcPause[i] : 0;
        double NotInPhase(double[] row) => row[handler] - row.Take(handler).Sum();
        double Rest(double[] row) => row[handler] - row[fsync] - row[gate] - row[compaction];
        double Outside(int i) => client[i] * 1000 - rows[i][handler];
        double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted[sorted.Count / 2];
        }

        var medianClient = Median(client) * 1000;
        var medianFsync = Median(rows.Select(r => r[fsync]));
        var medianGate = Median(rows.Select(r => r[gate] + r[compaction]));
        var medianRest = Median(rows.Select(Rest));
        var medianNotInPhase = Median(rows.Select(NotInPhase));
        var medianOutside = Median(Enumerable.Range(0, count).Select(Outside));
        var slowest = Enumerable.Range(0, count).OrderByDescending(i => client[i]).Take(Math.Max(1, (int)Math.Ceiling(count / 50.0))).ToList();

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the slowest 2 % ({slowest.Count}), each by its largest excess over the profile's medians (µs; medians: round trip {medianClient:0}, Fsync {medianFsync:0}, gate + compaction {medianGate:0}, the handler's other time {medianRest:0} (not in a phase {medianNotInPhase:0}), outside the handler {medianOutside:0}):"));
        Console.WriteLine();
        Console.WriteLine("| # | client ms | cause | Fsync + | gate + compaction + | agent GC in the handler | agent GC before | client GC | handler other + (largest phase; not in a phase +) | outside + |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        var causes = new Dictionary<string, (int Count, double Excess)>();
        foreach (var i in slowest)
        {
            var row = rows[i];
            var parts = new (string Name, double Excess)[]
            {
                ("Fsync tail", Math.Max(0, row[fsync] - medianFsync)),
                ("RegistryGate / compaction", Math.Max(0, row[gate] + row[compaction] - medianGate)),
                ("agent GC pause in the handler", row[pause]),
                ("agent GC pause before the handler", row[pauseBefore]),
                ("client (benchmark) GC pause", ClientGc(i)),
                ("handler, other phases / not in a phase", Math.Max(0, Rest(row) - medianRest - row[pause])),
                ("outside the handler (transport, scheduling)", Math.Max(0, Outside(i) - medianOutside - row[pauseBefore] - ClientGc(i))),
            };
            var cause = parts.MaxBy(p => p.Excess).Name;
            var largest = Enumerable.Range(0, handler).Where(c => c != fsync && c != gate && c != compaction).MaxBy(c => row[c]);
            var excess = client[i] * 1000 - medianClient;
            causes[cause] = causes.TryGetValue(cause, out var sum) ? (sum.Count + 1, sum.Excess + excess) : (1, excess);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {i} | {client[i]:0.000} | {cause} | {parts[0].Excess:0} | {parts[1].Excess:0} | {parts[2].Excess:0} | {parts[3].Excess:0} | {parts[4].Excess:0} | {parts[5].Excess:0} ({names[largest]} {row[largest]:0}; {NotInPhase(row) - medianNotInPhase:0}) | {parts[6].Excess:0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("| cause of the slowest 2 % | injections | their excess over the median round trip, ms (share) |");
        Console.WriteLine("|---|---|---|");
        var total = causes.Values.Sum(c => c.Excess);
        foreach (var (cause, (n, excess)) in causes.OrderByDescending(c => c.Value.Excess))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {cause} | {n} | {excess / 1000:0.00} ({excess / total:P0}) |"));
        }
    }
}
