using System.Globalization;

namespace FaultInjection.Benchmarks;

/// <summary>
/// Reads the API's benchmark-only phase file (FAULT_API_PROFILE_FILE: one line per injection, microseconds per phase,
/// the request's whole time in the API's pipeline last) beside the agent handler's times of the same injections
/// (from FAULT_AGENT_PROFILE_FILE, the handler's time last on each line) and prints, per API phase, its p50 and mean and its share of the
/// request's mean; then the agent's handler inside the API's <c>AgentCall</c>, the gRPC call's own cost (the API's
/// <c>AgentCall</c> mean minus the agent handler's mean: channel, HTTP/2 and gRPC framing, protobuf both ways, the
/// agent's Kestrel and authentication, loopback, wake-ups on both sides), and "outside the API's pipeline" (the client's
/// mean minus the request's: the client's HTTP/1.1 and JSON, Kestrel's parse before the first middleware, loopback).
/// </summary>
public static class ApiInjectionProfileReport
{
    public static void Print(string apiFile, IReadOnlyList<double> handler, LatencySample client)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(client);
        var (names, rows) = Read(apiFile);
        var request = names.Length - 1;
        var requestMean = rows.Average(r => r[request]);
        var callPhase = Array.IndexOf(names, "AgentCall");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one API injection, phase by phase ({rows.Count} sequential POST /api/v1/faults/gpu/inject/xid-79, API laps and agent spans, µs):"));
        Console.WriteLine();
        Console.WriteLine("| phase | p50 µs | mean µs | share of the API request's mean |");
        Console.WriteLine("|---|---|---|---|");
        void Row(string name, IReadOnlyList<double> values) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Percentile(values, 50):0.0} | {values.Average():0.0} | {values.Average() / requestMean * 100:0.0} % |"));
        for (var phase = 0; phase < request; phase++)
        {
            Row(names[phase], [.. rows.Select(r => r[phase])]);
        }

        Row("request total (first middleware in → out)", [.. rows.Select(r => r[request])]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| of AgentCall: the agent's handler ({handler.Count} injections) | {Percentile(handler, 50):0.0} | {handler.Average():0.0} | {handler.Average() / requestMean * 100:0.0} % |"));
        if (callPhase >= 0)
        {
            var callMean = rows.Average(r => r[callPhase]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| of AgentCall: the gRPC call around the handler (AgentCall mean − handler mean) | | {callMean - handler.Average():0.0} | {(callMean - handler.Average()) / requestMean * 100:0.0} % |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| outside the API's pipeline (client mean {client.Mean * 1000:0.0} − request mean) | | {client.Mean * 1000 - requestMean:0.0} | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| client round trip | {client.Percentile(50) * 1000:0.0} | {client.Mean * 1000:0.0} | |"));
    }

    private static (string[] Names, List<double[]> Rows) Read(string file)
    {
        var lines = File.ReadAllLines(file);
        return (lines[0].Split('\t'), [.. lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split('\t').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())]);
    }

    private static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
