using System.Security.Cryptography;
using System.Text.Json;

namespace FaultAgent.BugReports;

/// <summary>
/// The reports on disk: <c>&lt;StateDirectory&gt;/bug-reports/&lt;id&gt;/</c> holds the archive and <c>metadata.json</c>
/// (written to a temporary file, flushed, then renamed over the old one, so a crash never leaves half a file).
/// </summary>
public sealed class BugReportStore
{
    public const string MetadataFileName = "metadata.json";

    /// <summary>The tool's output name; it gzips to <c>nvidia-bug-report.log.gz</c> when gzip is on the host.</summary>
    public const string OutputFileName = "nvidia-bug-report.log";

    public BugReportStore(string rootDirectory)
    {
        RootDirectory = rootDirectory;
    }

    /// <summary>The agent-side <c>bug-reports</c> directory.</summary>
    public string RootDirectory { get; }

    public string ReportDirectory(string id) => Path.Combine(RootDirectory, id);

    /// <summary>Every readable metadata file; unreadable ones are returned as problems, not thrown.</summary>
    public (IReadOnlyList<BugReportRecord> Records, IReadOnlyList<string> Problems) LoadAll()
    {
        var records = new List<BugReportRecord>();
        var problems = new List<string>();
        if (!Directory.Exists(RootDirectory))
        {
            return (records, problems);
        }

        foreach (var dir in Directory.EnumerateDirectories(RootDirectory))
        {
            var path = Path.Combine(dir, MetadataFileName);
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                var record = JsonSerializer.Deserialize(File.ReadAllBytes(path), BugReportJsonContext.Default.BugReportRecord);
                if (record is null || record.Id != Path.GetFileName(dir))
                {
                    problems.Add($"{path}: metadata does not match its directory");
                    continue;
                }

                records.Add(record);
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"{path}: {ex.Message}");
            }
        }

        return (records, problems);
    }

    public void Save(BugReportRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var dir = ReportDirectory(record.Id);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, MetadataFileName);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, record, BugReportJsonContext.Default.BugReportRecord);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public void Delete(string id) => Directory.Delete(ReportDirectory(id), recursive: true);

    /// <summary>Bytes the tool has written so far (every <c>nvidia-bug-report.log*</c> file in the report's directory).</summary>
    public long OutputBytes(string id)
    {
        var dir = new DirectoryInfo(ReportDirectory(id));
        if (!dir.Exists)
        {
            return 0;
        }

        long total = 0;
        foreach (var file in dir.EnumerateFiles(OutputFileName + "*"))
        {
            try
            {
                total += file.Length;
            }
            catch (FileNotFoundException)
            {
                // moved or deleted between listing and reading: the tool renames files as it goes
            }
        }

        return total;
    }

    /// <summary>The archive the tool produced: the gzipped file when present, else the plain log; null when neither.</summary>
    public string? FindArchive(string id)
    {
        foreach (var name in new[] { OutputFileName + ".gz", OutputFileName })
        {
            if (File.Exists(Path.Combine(ReportDirectory(id), name)))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>Size and lowercase hex SHA-256 of a file, read in a stream (never whole in memory).</summary>
    public static async Task<(long Size, string Sha256)> HashAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return (stream.Length, Convert.ToHexStringLower(hash));
        }
    }
}
