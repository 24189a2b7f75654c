using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace FaultInjection.Benchmarks;

/// <summary>
/// The code a JIT-compiled dotnet process generated, read from outside it (#14): the lines of its perf map,
/// <c>/tmp/perf-&lt;pid&gt;.map</c>, which the runtime writes when started with <c>DOTNET_PerfMapEnabled=3</c> (the perf map
/// alone: no jitdump, no perfinfo file). The runtime appends one line per method it compiles — every tier of it again —
/// and one per stub block, at the moment it generates that code, and nothing else: at a steady state it writes nothing.
/// Ready-to-run (precompiled) methods are not listed. With <c>DOTNET_PerfMapShowOptimizationTiers=1</c> a method's name
/// ends with its tier in brackets (<c>[Tier0]</c>, <c>[Instrumented Tier0]</c>, <c>[Tier1]</c>, <c>[Tier1-OSR]</c>, ...).
/// Read incrementally: each <see cref="Read"/> parses only what was appended since the previous one.
/// </summary>
public sealed class PerfMapJit(int pid) : IDisposable
{
    private readonly Dictionary<string, int> _byTier = new(StringComparer.Ordinal);
    private FileStream? _file;
    private long _offset;

    public string Path { get; } = $"/tmp/perf-{pid}.map";

    /// <summary>Methods compiled so far (every tier counted: a method compiled at Tier0 and again at Tier1 counts twice).</summary>
    public int Methods { get; private set; }

    /// <summary>Stub blocks mapped so far.</summary>
    public int Stubs { get; private set; }

    /// <summary>Lines read so far (methods and stubs): where in the file the next reading starts.</summary>
    public int Lines { get; private set; }

    /// <summary>Methods compiled so far by tier (empty names when the tiers are not shown).</summary>
    public IReadOnlyDictionary<string, int> ByTier => _byTier;

    /// <summary>Reads the lines appended since the previous call; false when the process writes no perf map. Compiled
    /// optimized at once (no tiers): the warm-up calls it once per block, and a tiered method called that rarely would
    /// itself be promoted blocks later, in the count it is there to take.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read()
    {
        // Opened once and kept open: opening and closing a file every block is code the warm-up would call once per block.
        if (_file is null)
        {
            if (!File.Exists(Path))
            {
                return false;
            }

            _file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }

        var file = _file;
        file.Seek(_offset, SeekOrigin.Begin);
        var buffer = new byte[Math.Max(0, file.Length - _offset)];
        var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        // Only complete lines: the runtime may be writing the next one.
        var end = Array.LastIndexOf(buffer, (byte)'\n', read - 1);
        if (read == 0 || end < 0)
        {
            return true;
        }

        foreach (var line in Encoding.UTF8.GetString(buffer, 0, end).Split('\n'))
        {
            Lines++;
            // "<address> <size> <name>"
            var name = line.Split(' ', 3) is { Length: 3 } parts ? parts[2] : line;
            if (name.StartsWith("stub", StringComparison.Ordinal))
            {
                Stubs++;
                continue;
            }

            Methods++;
            var tier = name.EndsWith(']') && name.LastIndexOf('[') is var open and >= 0 ? name[(open + 1)..^1] : "";
            _byTier[tier] = _byTier.GetValueOrDefault(tier) + 1;
        }

        _offset += end + 1;
        return true;
    }

    /// <summary>The methods compiled since <paramref name="earlierMethods"/> and <paramref name="earlierByTier"/>, by tier: "12 (Tier1 10, Tier0 2)".</summary>
    public string Since(int earlierMethods, IReadOnlyDictionary<string, int> earlierByTier)
    {
        var tiers = _byTier
            .Select(kv => (kv.Key, Count: kv.Value - earlierByTier.GetValueOrDefault(kv.Key)))
            .Where(t => t.Count > 0)
            .OrderByDescending(t => t.Count)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{(t.Key.Length > 0 ? t.Key : "?")} {t.Count}"));
        var list = string.Join(", ", tiers);
        return string.Create(CultureInfo.InvariantCulture, $"{Methods - earlierMethods}{(list.Length > 0 ? $" ({list})" : "")}");
    }

    public void Dispose() => _file?.Dispose();

    /// <summary>A copy of the counts by tier now, to compare a later reading with.</summary>
    public Dictionary<string, int> SnapshotByTier() => new(_byTier, StringComparer.Ordinal);
}
