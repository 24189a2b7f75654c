using System.Globalization;

namespace FaultInjection.Benchmarks;

/// <summary>
/// Reads the agent's benchmark-only span file (FAULT_AGENT_PROFILE_FILE: one line per injection, microseconds per
/// phase, the handler's whole time last) and prints, per phase, its p50 and mean and its share of the handler's mean;
/// "not in a phase" is the handler's time no phase names, and "outside the handler" is the client's mean latency minus
/// the handler's: HTTP/2 and gRPC framing, protobuf parsing and serialization, authentication, both directions on loopback.
/// </summary>
public static class InjectionProfileReport
{
    public static void Print(string file, LatencySample client)
    {
        var lines = File.ReadAllLines(file);
        var names = lines[0].Split('\t');
        var rows = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split('\t').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        // The phases come first, then Handler; agents since #14's journal pass add columns after it (InjectionTailReport).
        var handler = Array.IndexOf(names, "Handler") is >= 0 and var h ? h : names.Length - 1;
        var handlerMean = rows.Average(r => r[handler]);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one injection, phase by phase ({rows.Count} sequential gRPC InjectXid, agent spans, µs):"));
        Console.WriteLine();
        Console.WriteLine("| phase | p50 µs | mean µs | share of the handler's mean |");
        Console.WriteLine("|---|---|---|---|");
        void Row(string name, IReadOnlyList<double> values) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Percentile(values, 50):0.0} | {values.Average():0.0} | {values.Average() / handlerMean * 100:0.0} % |"));
        for (var phase = 0; phase < handler; phase++)
        {
            Row(names[phase], [.. rows.Select(r => r[phase])]);
        }

        Row("not in a phase", [.. rows.Select(r => r[handler] - r.Take(handler).Sum())]);
        Row("handler total", [.. rows.Select(r => r[handler])]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| outside the handler (client mean {client.Mean * 1000:0.0} − handler mean) | | {client.Mean * 1000 - handlerMean:0.0} | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| client round trip | {client.Percentile(50) * 1000:0.0} | {client.Mean * 1000:0.0} | |"));
    }

    private static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
