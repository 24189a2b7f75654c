namespace FaultAgent.Tests.Compatibility;

/// <summary>One monitor's published pattern as quoted in <c>TestData/monitor_patterns.tsv</c>, with where it was read.</summary>
internal sealed record MonitorPatternQuote(string Key, string Repository, string SnapshotCommit, string Path, string LastChangedCommit, string Symbol, string Pattern)
{
    /// <summary>The rows of the file by key (lines starting with <c>#</c> are comments; seven tab-separated columns).</summary>
    public static IReadOnlyDictionary<string, MonitorPatternQuote> Load(string file)
    {
        var quotes = new Dictionary<string, MonitorPatternQuote>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(file))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var cells = line.Split('\t');
            if (cells.Length != 7 || cells.Any(c => c.Length == 0))
            {
                throw new InvalidDataException($"{file}: not seven non-empty tab-separated columns: {line}");
            }

            quotes.Add(cells[0], new(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6]));
        }

        return quotes;
    }
}
