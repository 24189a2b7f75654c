using System.Globalization;
using System.Text;
using System.Xml;
using FaultApi.Storage;

namespace FaultApi.Suites;

/// <summary>
/// A suite as a JUnit XML report, the Apache Ant format CI systems read (Jenkins, GitLab, GitHub test reporters; read back
/// by junitparser in the tests): one <c>testsuite</c>, one <c>testcase</c> per drill
/// (<c>classname</c> the suite's name, <c>name</c> the drill's name and node). A drill that failed carries a
/// <c>failure</c> whose message names the expectations never observed and the last state seen (the last step and its
/// evidence), its text the whole timeline; one that could not start or was cancelled an <c>error</c>; one never started
/// (skipped, or not yet, while the suite runs) <c>skipped</c>. The per-expectation summary is the suite's
/// <c>system-out</c>.
/// </summary>
public static class SuiteJUnitReport
{
    public static string Write(SuiteRecord suite, string hostname)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        var output = new StringBuilder();
        using (var xml = XmlWriter.Create(new Utf8StringWriter(output), settings))
        {
            var suiteName = suite.Name ?? $"suite-{suite.SuiteId}";
            var ended = suite.EndedAt ?? DateTimeOffset.UtcNow;
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", suiteName);
            xml.WriteAttributeString("timestamp", suite.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("hostname", string.IsNullOrWhiteSpace(hostname) ? "localhost" : hostname);
            xml.WriteAttributeString("tests", Count(suite.Drills.Count));
            xml.WriteAttributeString("failures", Count(suite.Drills.Count(d => d.State == SuiteState.Failed)));
            xml.WriteAttributeString("errors", Count(suite.Drills.Count(d => d.State is SuiteState.Error or SuiteState.Cancelled)));
            xml.WriteAttributeString("skipped", Count(suite.Drills.Count(d => d.State is SuiteState.Skipped or SuiteState.Pending or SuiteState.Starting or SuiteState.Running)));
            xml.WriteAttributeString("time", Seconds(ended - suite.CreatedAt));

            xml.WriteStartElement("properties");
            Property(xml, "suite_id", suite.SuiteId);
            Property(xml, "state", suite.State.JsonName());
            Property(xml, "reason", suite.Reason ?? "");
            Property(xml, "concurrency", Count(suite.Concurrency));
            Property(xml, "stop_on_failure", suite.StopOnFailure ? "true" : "false");
            xml.WriteEndElement();

            foreach (var drill in suite.Drills)
            {
                WriteTestCase(xml, suiteName, drill);
            }

            xml.WriteElementString("system-out", string.Join('\n', SuiteSummary.Of(suite.Drills).Select(s => s.Text)) + "\n");
            xml.WriteElementString("system-err", "");
            xml.WriteEndElement();
        }

        return output.ToString();
    }

    /// <summary>What a failed drill's failure says: the expectations never observed, then the last state seen.</summary>
    public static string FailureMessage(SuiteDrill drill)
    {
        ArgumentNullException.ThrowIfNull(drill);
        var last = drill.Steps.Count > 0 ? drill.Steps[^1] : null;
        var seen = last is null
            ? "nothing, not even the injection"
            : $"{last.Step} at {last.SecondsSinceInjection.ToString("0.0", CultureInfo.InvariantCulture)} s" + (last.Evidence.Count == 0 ? "" : $" ({string.Join(", ", last.Evidence.Select(e => $"{e.Key}={e.Value}"))})");
        return $"never observed: {string.Join(", ", drill.Missing)}; last state seen: {seen}";
    }

    private static void WriteTestCase(XmlWriter xml, string suiteName, SuiteDrill drill)
    {
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("name", $"{drill.Name} on {drill.NodeName}");
        xml.WriteAttributeString("classname", suiteName);
        xml.WriteAttributeString("time", drill.StartedAt is { } from && drill.EndedAt is { } to ? Seconds(to - from) : "0");
        switch (drill.State)
        {
            case SuiteState.Failed:
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("type", "ExpectationNotMet");
                xml.WriteAttributeString("message", FailureMessage(drill));
                xml.WriteString(Timeline(drill));
                xml.WriteEndElement();
                break;
            case SuiteState.Error or SuiteState.Cancelled:
                xml.WriteStartElement("error");
                xml.WriteAttributeString("type", drill.State == SuiteState.Error ? "DrillNotStarted" : "DrillCancelled");
                xml.WriteAttributeString("message", drill.Reason ?? drill.State.JsonName());
                xml.WriteString(Timeline(drill));
                xml.WriteEndElement();
                break;
            case SuiteState.Skipped or SuiteState.Pending or SuiteState.Starting or SuiteState.Running:
                xml.WriteStartElement("skipped");
                xml.WriteAttributeString("message", drill.Reason ?? $"not finished yet ({drill.State.JsonName()})");
                xml.WriteEndElement();
                break;
        }

        xml.WriteEndElement();
    }

    private static string Timeline(SuiteDrill drill)
    {
        var lines = new List<string> { $"{drill.Kind} {drill.Code.ToString(CultureInfo.InvariantCulture)} on {drill.NodeName}, drill {drill.DrillId}: {drill.Reason}" };
        if (drill.Line is not null)
        {
            lines.Add($"line: {drill.Line}");
        }

        lines.AddRange(drill.Steps.Select(s => $"{s.SecondsSinceInjection.ToString("0.000", CultureInfo.InvariantCulture)} s  {s.Step}  {string.Join(", ", s.Evidence.Select(e => $"{e.Key}={e.Value}"))}".TrimEnd()));
        return string.Join('\n', lines) + "\n";
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", value);
        xml.WriteEndElement();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds).ToString("0.000", CultureInfo.InvariantCulture);
}
