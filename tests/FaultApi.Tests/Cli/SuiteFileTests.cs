using FaultCtl.Hosting;
using FaultCtl.Suites;

namespace FaultApi.Tests.Cli;

/// <summary>Suite files as <c>faultctl suite run -f</c> reads them: YAML typed by the core schema, JSON, and refusals that say where.</summary>
public sealed class SuiteFileTests
{
    [Fact]
    public void Parse_Yaml_TypesPlainScalarsKeepsQuotedStrings()
    {
        var request = SuiteFile.Parse("""
            name: "007"
            concurrency: 2
            stop_on_failure: true
            drills:
              - node_selector: pool=a,zone in (x, y)
                count: 2
                xid: 79
                message: "48"
                expect: [condition:SysLogsXIDError, cordon]
                timeout_seconds: 90.5
            from_profile:
              profile_name: nvsentinel
              node_selector: pool=a
              xids: [79, 48]
            """, "suite.yaml");

        Assert.Equal(("007", 2, true), (request.Name, request.Concurrency, request.StopOnFailure));
        var drill = Assert.Single(request.Drills!);
        Assert.Equal(("pool=a,zone in (x, y)", 2, 79, "48", 90.5), (drill.NodeSelector, drill.Count, drill.Xid, drill.Message, drill.TimeoutSeconds));
        Assert.Equal(["condition:SysLogsXIDError", "cordon"], drill.Expect);
        Assert.Equal([79, 48], request.FromProfile!.Xids);
    }

    [Fact]
    public void Parse_Json_ReadsTheApiBody()
    {
        var request = SuiteFile.Parse("""{"name": "j", "drills": [{"node_name": "n1", "sxid": 12028, "nvswitch": 0, "link": 3, "expect": ["cordon"]}]}""", "suite.json");

        var drill = Assert.Single(request.Drills!);
        Assert.Equal(("n1", 12028, 0, 3), (drill.NodeName, drill.Sxid, drill.Nvswitch, drill.Link));
    }

    [Theory]
    [InlineData("drills:\n  - node_name: n\n    xid: 79\n    expects: [cordon]\n", "suite.yaml: at drills[0]: unknown field 'expects'")]
    [InlineData("name: a\nconcurrency: many\n", "suite.yaml: at concurrency: ")]
    [InlineData("name: a\n  drills: [\n", "suite.yaml is not a valid suite file: line ")]
    [InlineData("- 1\n- 2\n", "suite.yaml is not a suite: ")]
    [InlineData("name: a\nname: b\n", "suite.yaml is not a valid suite file: line ")]
    public void Parse_BadFile_RefusedSayingWhere(string text, string expected)
    {
        var error = Assert.Throws<UsageException>(() => SuiteFile.Parse(text, "suite.yaml"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ShippedSuites_AreSuites()
    {
        foreach (var path in new[] { Path.Combine(Deploy.RepositoryRoot.Path, "examples", "suites", "nvsentinel-smoke.yaml"), Path.Combine(Deploy.RepositoryRoot.Path, "deploy", "overlays", "canary", "suite.yaml") })
        {
            var request = SuiteFile.Parse(File.ReadAllText(path), path);

            Assert.NotEmpty(request.Drills!);
            Assert.All(request.Drills!, d => Assert.NotEmpty(d.Expect!));
        }
    }
}
