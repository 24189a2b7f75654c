using System.Globalization;

namespace FaultInjection.Benchmarks;

/// <summary>
/// A product process's system calls per injection: <c>strace -c -f</c> attached to it (every thread; the agent, or the
/// API) over a window of sequential injections, each syscall's count divided by the number of injections. strace slows every call, so only
/// the counts are read from it, not the times.
/// </summary>
public static class StraceSummary
{
    public static void Print(string file, int injections, string process, string injection)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"system calls per injection (strace -c -f on {process} over {injections} sequential {injection}):"));
        Console.WriteLine();
        Console.WriteLine("| syscall | calls per injection | errors per injection |");
        Console.WriteLine("|---|---|---|");
        var rows = new List<(string Name, double Calls, double Errors)>();
        foreach (var line in File.ReadLines(file))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 5 || parts[^1] == "total" || !double.TryParse(parts[0], CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            // % time, seconds, usecs/call, calls, [errors,] syscall
            var calls = double.Parse(parts[3], CultureInfo.InvariantCulture);
            var errors = parts.Length >= 6 ? double.Parse(parts[4], CultureInfo.InvariantCulture) : 0;
            rows.Add((parts[^1], calls / injections, errors / injections));
        }

        foreach (var row in rows.OrderByDescending(r => r.Calls).Where(r => r.Calls >= 0.05))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Name} | {row.Calls:0.##} | {row.Errors:0.##} |"));
        }
    }
}
