using System.Globalization;
using System.Xml.Linq;
using FaultApi.Drills;
using FaultApi.Suites;

namespace FaultApi.Tests.Suites;

/// <summary>
/// The reports of a suite: the per-expectation summary on known timings, and the JUnit XML read back by a real reader of
/// the format (junitparser, <see cref="JUnitParserReading"/>), with what the Ant JUnit format requires of each element.
/// </summary>
public sealed class SuiteReportTests
{
    private static readonly string[] SuiteAttributes = ["name", "tests", "failures", "errors", "time"];
    private static readonly string[] CaseAttributes = ["name", "classname", "time"];

    /// <summary>
    /// Checks <paramref name="xml"/> is a JUnit report CI systems read: junitparser reads it, its counts agree with its
    /// test cases, and each element carries the attributes the Ant JUnit format requires (a suite's name, tests, failures,
    /// errors and time; a test case's name, classname and time; a failure's or error's message).
    /// </summary>
    public static XDocument ValidJUnit(string xml)
    {
        var document = XDocument.Parse(xml);
        var reading = JUnitParserReading.Read(xml);
        var root = document.Root!;
        var problems = new List<string>();
        foreach (var required in SuiteAttributes)
        {
            if (root.Attribute(required) is null)
            {
                problems.Add($"testsuite without {required}");
            }
        }

        foreach (var testCase in root.Elements("testcase"))
        {
            problems.AddRange(CaseAttributes.Where(a => testCase.Attribute(a) is null).Select(a => $"testcase without {a}"));
            problems.AddRange(testCase.Elements().Where(e => e.Name.LocalName is "failure" or "error" && e.Attribute("message") is null).Select(e => $"{e.Name.LocalName} without message"));
        }

        var cases = reading.Cases;
        if ((reading.Tests ?? 0) != cases.Count || (reading.Failures ?? 0) != cases.Count(c => c.Results.Any(r => r.Kind == "failure"))
            || (reading.Errors ?? 0) != cases.Count(c => c.Results.Any(r => r.Kind == "error")) || (reading.Skipped ?? 0) != cases.Count(c => c.Results.Any(r => r.Kind == "skipped")))
        {
            problems.Add($"counts tests={reading.Tests} failures={reading.Failures} errors={reading.Errors} skipped={reading.Skipped} disagree with the {cases.Count} test cases read");
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems) + "\n" + xml);
        return document;
    }

    [Fact]
    public void Summary_KnownTimings_GivesPassedOfTotalAndNearestRankPercentiles()
    {
        // 20 drills expect cordon, seen after 1, 2, ... 19 s; the 20th never saw it. 10 of them also expect drain.
        var drills = Enumerable.Range(1, 20).Select(i => Drill(
            i,
            i % 2 == 0 ? ["cordon", "drain"] : ["cordon"],
            i == 20 ? [] : [("cordon", i), .. i % 2 == 0 ? new[] { ("drain", i * 10.0) } : []])).ToList();

        var summary = SuiteSummary.Of(drills);

        Assert.Equal(["cordon", "drain"], summary.Select(s => s.Expectation));
        var cordon = summary[0];
        Assert.Equal((19, 20), (cordon.Passed, cordon.Total));
        Assert.Equal(10, cordon.P50Seconds); // ceil(0.50 × 19) = 10th of 1..19
        Assert.Equal(19, cordon.P95Seconds); // ceil(0.95 × 19) = 19th
        Assert.Equal(19, cordon.MaxSeconds);
        Assert.Equal("cordon: 19/20, p50 10.0 s, p95 19.0 s, max 19.0 s", cordon.Text);
        var drain = summary[1];
        Assert.Equal((9, 10), (drain.Passed, drain.Total)); // drill 20 expects drain too and never saw it
        Assert.Equal(100, drain.P50Seconds); // 20, 40 ... 180: the 5th
        Assert.Equal(180, drain.P95Seconds);
        Assert.Equal("drain: 9/10, p50 100.0 s, p95 180.0 s, max 180.0 s", drain.Text);
    }

    [Fact]
    public void Summary_NobodySawIt_HasNoPercentiles()
    {
        var summary = SuiteSummary.Of([Drill(1, ["taint:x"], [])]);

        Assert.Equal("taint:x: 0/1", summary[0].Text);
        Assert.Null(summary[0].P50Seconds);
    }

    [Theory]
    [InlineData(new[] { 4.1 }, 0.5, 4.1)]
    [InlineData(new[] { 1.0, 2.0 }, 0.5, 1.0)]
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0 }, 0.95, 4.0)]
    public void NearestRank_SortedValues_IsTheSmallestWithTheFractionAtOrBelow(double[] sorted, double fraction, double expected) =>
        Assert.Equal(expected, SuiteSummary.NearestRank(sorted, fraction));

    [Fact]
    public void JUnit_EveryDrillState_IsReadByJUnitParserWithOneTestCaseEach()
    {
        var created = new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);
        var passed = Drill(0, ["cordon"], [("cordon", 4.1)]);
        var failed = Drill(1, ["cordon", "taint:nvidia.com/gpu-xid"], [("cordon", 2.5)]);
        failed.State = SuiteState.Failed;
        failed.Missing = ["taint:nvidia.com/gpu-xid"];
        failed.Reason = "Timed out after 60 s; never observed: taint:nvidia.com/gpu-xid";
        var error = Drill(2, ["cordon"], []);
        error.State = SuiteState.Error;
        error.Reason = "Node already cordoned: Node 'n2' is already cordoned & <quoted>";
        var skipped = Drill(3, ["cordon"], []);
        skipped.State = SuiteState.Skipped;
        skipped.Reason = "not started: the suite stops on the first failure";
        var suite = new SuiteRecord { SuiteId = "0123456789abcdef", Name = "nvsentinel-smoke", State = SuiteState.Failed, Reason = "3 of 4 drills did not pass", CreatedAt = created, EndedAt = created.AddSeconds(75.5), Drills = [passed, failed, error, skipped] };

        var document = ValidJUnit(SuiteJUnitReport.Write(suite, "fault-api-0"));

        var root = document.Root!;
        Assert.Equal("testsuite", root.Name.LocalName);
        Assert.Equal(("nvsentinel-smoke", "4", "1", "1", "1", "75.500", "2026-12-02T06:00:00"), ((string)root.Attribute("name")!, (string)root.Attribute("tests")!, (string)root.Attribute("failures")!, (string)root.Attribute("errors")!, (string)root.Attribute("skipped")!, (string)root.Attribute("time")!, (string)root.Attribute("timestamp")!));
        var cases = root.Elements("testcase").ToList();
        Assert.Equal(["xid 79 #0 on node-0", "xid 79 #1 on node-1", "xid 79 #2 on node-2", "xid 79 #3 on node-3"], cases.Select(c => (string)c.Attribute("name")!));
        Assert.Empty(cases[0].Elements());
        var failure = cases[1].Element("failure")!;
        Assert.Equal("never observed: taint:nvidia.com/gpu-xid; last state seen: cordon at 2.5 s (unschedulable=true)", (string)failure.Attribute("message")!);
        Assert.Contains("2.500 s  cordon  unschedulable=true", failure.Value, StringComparison.Ordinal);
        Assert.Equal(error.Reason, (string)cases[2].Element("error")!.Attribute("message")!);
        Assert.Equal(skipped.Reason, (string)cases[3].Element("skipped")!.Attribute("message")!);
        Assert.Contains("cordon: 2/4, p50 2.5 s, p95 4.1 s, max 4.1 s", root.Element("system-out")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidJUnit_NotAJUnitDocument_IsRefusedByTheReader()
    {
        var refused = Assert.Throws<InvalidDataException>(() => JUnitParserReading.Read("<report><testcase name=\"t\"/></report>"));

        Assert.Contains("junitparser refused", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidJUnit_ADocumentMissingWhatItRequires_IsRefused()
    {
        // The check can fail: a testcase without its classname and time, and a suite without its counts, are refused.
        var refused = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ValidJUnit("<testsuite name=\"s\"><properties/><testcase name=\"t\"/><system-out/><system-err/></testsuite>"));

        Assert.Contains("testcase without classname", refused.Message, StringComparison.Ordinal);
        Assert.Contains("testsuite without tests", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidJUnit_CountsThatDisagreeWithTheCases_IsRefused()
    {
        const string Xml = "<testsuite name=\"s\" tests=\"1\" failures=\"1\" errors=\"0\" time=\"1\"><testcase name=\"t\" classname=\"c\" time=\"1\"/></testsuite>";

        var refused = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ValidJUnit(Xml));

        Assert.Contains("disagree", refused.Message, StringComparison.Ordinal);
    }

    private static SuiteDrill Drill(int index, string[] expect, (string Step, double Seconds)[] steps)
    {
        var injected = new DateTimeOffset(2026, 12, 2, 6, 0, index, TimeSpan.Zero);
        var all = new List<DrillStep> { new("injected", injected, 0, new Dictionary<string, string>()) };
        all.AddRange(steps.Select(s => new DrillStep(s.Step, injected.AddSeconds(s.Seconds), s.Seconds, new Dictionary<string, string> { [s.Step == "cordon" ? "unschedulable" : "evidence"] = "true" })));
        return new SuiteDrill
        {
            Index = index,
            Name = string.Create(CultureInfo.InvariantCulture, $"xid 79 #{index}"),
            NodeName = string.Create(CultureInfo.InvariantCulture, $"node-{index}"),
            Code = 79,
            Expect = expect,
            State = SuiteState.Passed,
            Missing = [],
            StartedAt = injected,
            EndedAt = injected.AddSeconds(steps.Length == 0 ? 0 : steps.Max(s => s.Seconds)),
            Steps = all,
        };
    }
}
