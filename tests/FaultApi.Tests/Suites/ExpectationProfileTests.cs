using FaultApi.Suites;
using FaultApi.Validation;

namespace FaultApi.Tests.Suites;

/// <summary>
/// The shipped NVSentinel profile checked against NVSentinel's own Xid catalog, quoted with its provenance in
/// TestData/nvsentinel_xid_catalog.tsv (as the monitor patterns are in monitor_patterns.tsv), and the check of a profile.
/// </summary>
public sealed class ExpectationProfileTests
{
    private static readonly string[] Fatal = ["condition:SysLogsXIDError", "cordon"];

    [Fact]
    public void NvSentinelProfile_EveryXidOfNvSentinelsCatalog_HasItsBucketAndTheReactionOfItsAction()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "nvsentinel_xid_catalog.tsv"));
        var catalog = lines.Where(l => !l.StartsWith('#')).Select(l => l.Split('\t')).ToDictionary(c => c[0], c => c[2], StringComparer.Ordinal);
        var profile = ExpectationProfiles.All["nvsentinel"];

        // The same Xids, each with the same bucket; a catalog row without a bucket (NVSentinel skips it) is not in the profile.
        Assert.Equal(catalog.Where(c => c.Value.Length > 0).OrderBy(c => c.Key, StringComparer.Ordinal), profile.Xids!.Select(x => KeyValuePair.Create(x.Key, x.Value!)).OrderBy(c => c.Key, StringComparer.Ordinal));
        Assert.Equal(161, profile.Xids!.Count);
        Assert.Equal("RESTART_BM", profile.Xids["79"]);
        Assert.Equal("RESET_GPU", profile.Xids["95"]);
        Assert.Equal("RESTART_APP", profile.Xids["94"]);
        Assert.Equal("IGNORE", profile.Xids["63"]);

        // Each bucket as NVSentinel's MapActionStringToProto maps it, and what that action does with its default modules.
        foreach (var bucket in catalog.Values.Where(b => b.Length > 0).Distinct(StringComparer.Ordinal))
        {
            var expect = profile.Buckets![bucket]!.Expect!;
            switch (bucket)
            {
                case "RESTART_APP" or "IGNORE":
                    Assert.Empty(expect); // NONE: not fatal, no quarantine
                    break;
                case "RESTART_BM":
                    Assert.Equal([.. Fatal, "drain", "reboot"], expect);
                    break;
                case "RESET_GPU" or "WORKFLOW_XID_48" or "RESET_FABRIC" or "RESTART_VM":
                    Assert.Equal([.. Fatal, "drain"], expect); // COMPONENT_RESET / RESTART_VM: no reboot to observe
                    break;
                default:
                    Assert.Equal(Fatal, expect); // CONTACT_SUPPORT, and every other bucket NVSentinel maps to it
                    break;
            }
        }

        // The profile names the catalog it was derived from: the commit and hash in the quote's header.
        var header = string.Join('\n', lines.Where(l => l.StartsWith('#')));
        Assert.Contains("0f6073182b2544cf696a81a7b03d37136f199b9e", header, StringComparison.Ordinal);
        Assert.Contains("0f6073182b2544cf696a81a7b03d37136f199b9e", profile.Source, StringComparison.Ordinal);
        Assert.Contains("7f70ce9684be0c9d98a367770341ccc1d8bca4465cebe42dab7e23d57df5d5a5", profile.Source, StringComparison.Ordinal);
        Assert.Equal(92, ExpectationProfiles.Drillable(profile).Count);
    }

    [Fact]
    public void Check_BadProfile_NamesEachBadField()
    {
        var profile = ExpectationProfiles.Parse("""
            {"buckets": {"FATAL": {"expect": ["cordon", "explode"]}, "NOTHING": {}}, "xids": {"79": "FATAL", "1000": "FATAL", "48": "MISSING"}}
            """);
        var errors = new RequestErrors();

        ExpectationProfiles.Check(errors, "p", profile);

        var fields = errors.ToProblem().Errors!.Keys.ToHashSet(StringComparer.Ordinal);
        Assert.Equal(new HashSet<string>(["p.buckets.FATAL.expect[1]", "p.buckets.NOTHING", "p.xids", "p.xids.48"], StringComparer.Ordinal), fields);
    }
}
