using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FaultAgent.Tests.Infrastructure;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// The matrix runs the monitors' Go and Python patterns through .NET's engine. These tests run the same patterns on the
/// same inputs through CPython's <c>re</c> (the engine Konduktor's parse.py uses, and one that reads these RE2 patterns
/// the same way) and azurehpc-health-checks' grep through GNU grep, and require the same answers, group by group.
/// </summary>
public sealed class MatrixEnginesTests
{
    private const string PythonMatcher = """
        import json, re, sys
        job = json.load(open(sys.argv[1], encoding="utf-8"))
        out = {}
        for key, pattern in job["patterns"].items():
            compiled = re.compile(pattern)
            rows = []
            for text in job["texts"]:
                m = compiled.search(text)
                rows.append(None if m is None else [m.group(0)] + list(m.groups()))
            out[key] = rows
        json.dump(out, sys.stdout)
        """;

    private static List<string> Texts()
    {
        var views = new List<KernelRecordView>();
        foreach (var (driver, gi, ci, process) in new (string, int?, int?, bool)[] { ("535.161.08", null, null, false), ("570.195.03", null, null, false), ("570.195.03", null, null, true), ("570.195.03", 1, null, false), ("570.195.03", 1, 0, true), ("535.161.08", 1, 0, false) })
        {
            views.AddRange(CompatibilityMatrix.XidLines(driver, gi, ci, process).Select(l => l.Record));
        }

        views.AddRange(CompatibilityMatrix.Xid79Records("570.195.03"));
        views.AddRange(CompatibilityMatrix.Xid79Records("535.161.08"));
        views.AddRange(CompatibilityMatrix.SxidRecords().SelectMany(s => s.Records));
        views.AddRange(CompatibilityMatrix.RealLines().Select(r => new KernelRecordView(r.Line, FromUserSpace: false)));
        return [.. views.SelectMany(v => new[] { v.JournalMessage, v.KmsgText }.Concat(v.DmesgLines).Concat(v.SyslogLines)).Distinct(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task EveryQuotedPattern_CPythonRe_SameMatchesAndGroupsAsDotNet()
    {
        var texts = Texts();
        var patterns = MonitorPatterns.Quotes.Values.Where(q => q.Key != "AzureXid").ToDictionary(q => q.Key, q => q.Pattern, StringComparer.Ordinal);
        using var directory = new TestDirectory();
        var job = directory.Combine("job.json");
        var script = directory.Combine("match.py");
        await File.WriteAllTextAsync(job, JsonSerializer.Serialize(new { patterns, texts }));
        await File.WriteAllTextAsync(script, PythonMatcher);

        var output = await RunAsync("python3", [script, job]);
        using var python = JsonDocument.Parse(output);

        Assert.Equal(patterns.Count, python.RootElement.EnumerateObject().Count());
        var compared = 0;
        foreach (var (key, pattern) in patterns)
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant);
            var rows = python.RootElement.GetProperty(key).EnumerateArray().ToList();
            Assert.Equal(texts.Count, rows.Count);
            for (var i = 0; i < texts.Count; i++)
            {
                var match = regex.Match(texts[i]);
                IReadOnlyList<string?>? dotnet = match.Success ? [.. match.Groups.Cast<Group>().Select(g => g.Success ? g.Value : null)] : null;
                IReadOnlyList<string?>? cpython = rows[i].ValueKind == JsonValueKind.Null ? null : [.. rows[i].EnumerateArray().Select(g => g.ValueKind == JsonValueKind.Null ? null : g.GetString())];
                Assert.True(
                    dotnet is null ? cpython is null : cpython is not null && dotnet.SequenceEqual(cpython),
                    $"{key} on {JsonSerializer.Serialize(texts[i])}: .NET {JsonSerializer.Serialize(dotnet)}, CPython {JsonSerializer.Serialize(cpython)}");
                compared += match.Success ? 1 : 0;
            }
        }

        Assert.True(compared > 1000, $"only {compared} matches compared");
    }

    [Fact]
    public async Task AzureGrep_GnuGrep_SameLinesAsDotNet()
    {
        var lines = Texts().Where(t => !t.Contains('\n', StringComparison.Ordinal)).ToList();
        using var directory = new TestDirectory();
        var syslog = directory.Combine("syslog");
        await File.WriteAllTextAsync(syslog, string.Join('\n', lines) + "\n");

        foreach (var xid in MonitorPatterns.AzureXids)
        {
            var bre = MonitorPatterns.Quotes["AzureXid"].Pattern.Replace("{xid}", xid.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var grep = await RunAsync("grep", ["-n", "--", bre, syslog], okExitCodes: [0, 1]);
            var byGrep = grep.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l[..l.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture) - 1).ToList();
            var byDotnet = Enumerable.Range(0, lines.Count).Where(i => MonitorPatterns.AzureGrep(xid).IsMatch(lines[i])).ToList();

            Assert.Equal(byGrep, byDotnet);
            Assert.NotEmpty(byDotnet);
        }
    }

    private static async Task<string> RunAsync(string file, IEnumerable<string> arguments, int[]? okExitCodes = null)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True((okExitCodes ?? [0]).Contains(process.ExitCode), $"{file} exited with {process.ExitCode}: {await error}");
        return await output;
    }
}
