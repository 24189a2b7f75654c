using System.Diagnostics;
using System.Text.Json;

namespace FaultApi.Tests.Suites;

/// <summary>
/// A JUnit report as a real reader of the format sees it: junitparser (Debian's python3-junitparser, the library CI
/// tooling uses to read and merge JUnit XML) run by Debian's /usr/bin/python3. It refuses what is not a JUnit document
/// and gives the suite's counts and each test case's name, class name, time and results.
/// </summary>
public sealed record JUnitParserReading(int? Tests, int? Failures, int? Errors, int? Skipped, double? Time, IReadOnlyList<JUnitParserCase> Cases)
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, sys
        from junitparser import JUnitXml, TestSuite
        xml = JUnitXml.fromstring(sys.stdin.read())
        suites = [xml] if isinstance(xml, TestSuite) else list(xml)
        if len(suites) != 1:
            sys.exit("expected one test suite, read %d" % len(suites))
        suite = suites[0]
        cases = [{"name": c.name, "classname": c.classname, "time": c.time,
                  "results": [{"kind": type(r).__name__.lower(), "message": r.message} for r in c.result]} for c in suite]
        print(json.dumps({"tests": suite.tests, "failures": suite.failures, "errors": suite.errors,
                          "skipped": suite.skipped, "time": suite.time, "cases": cases}))
        """;

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Reads <paramref name="xml"/> with junitparser; a document it refuses is an <see cref="InvalidDataException"/>.</summary>
    public static JUnitParserReading Read(string xml)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3 and python3-junitparser");
        var start = new ProcessStartInfo(Python, ["-c", Script])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(xml);
        process.StandardInput.Close();
        var errorRead = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var error = errorRead.GetAwaiter().GetResult();
        Assert.False(error.Contains("No module named 'junitparser'", StringComparison.Ordinal), "junitparser is missing: apt-get install python3-junitparser (scripts/test.sh installs it)");
        if (process.ExitCode != 0)
        {
            throw new InvalidDataException($"junitparser refused the report: {error.Trim()}");
        }

        return JsonSerializer.Deserialize<JUnitParserReading>(output, Json)!;
    }
}
