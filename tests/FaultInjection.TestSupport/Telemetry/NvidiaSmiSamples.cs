namespace FaultAgent.Tests.Telemetry;

/// <summary>Reads the real nvidia-smi captures in TestData/nvidia-smi and cuts out the blocks a test needs.</summary>
internal static partial class NvidiaSmiSamples
{
    public static string[] Lines(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "nvidia-smi", file));

    /// <summary>The block that starts with the first line beginning with <paramref name="startsWith"/> (after
    /// <paramref name="after"/>, when given) and runs to the next blank line.</summary>
    public static string Block(string file, string startsWith, string? after = null)
    {
        var lines = Lines(file);
        var from = after is null ? 0 : Array.FindIndex(lines, l => l.StartsWith(after, StringComparison.Ordinal));
        Assert.True(from >= 0, $"'{after}' not found in {file}");
        var start = Array.FindIndex(lines, from, l => l.StartsWith(startsWith, StringComparison.Ordinal));
        Assert.True(start >= 0, $"'{startsWith}' not found in {file}");
        var end = Array.FindIndex(lines, start, l => l.Trim().Length == 0);
        return string.Join('\n', lines[start..(end < 0 ? lines.Length : end)]) + "\n";
    }

    /// <summary>One line of a file, found by its beginning.</summary>
    public static string Line(string file, string startsWith) =>
        Lines(file).First(l => l.StartsWith(startsWith, StringComparison.Ordinal));

    /// <summary>The "--format=csv" capture turned into what "--format=csv,noheader,nounits" prints: no header, no units.</summary>
    public static string WithoutHeaderAndUnits(string csv) =>
        string.Join('\n', csv.Split('\n').Skip(1).Select(l => l.Replace(" MiB", "", StringComparison.Ordinal).Replace(" %", "", StringComparison.Ordinal)));
}
