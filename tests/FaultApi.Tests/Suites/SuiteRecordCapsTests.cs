using System.Text;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Storage;
using FaultApi.Suites;

namespace FaultApi.Tests.Suites;

/// <summary>What a suite copies of a run is cut to a stated size as the record stores it, visibly, on a character boundary.</summary>
public sealed class SuiteRecordCapsTests
{
    [Theory]
    [InlineData("plain ASCII text that goes on and on and on and on and on and on and on and on and on and on", 64)]
    [InlineData("<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", 64)]
    [InlineData("ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé", 100)]
    [InlineData("😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", 101)]
    public void Text_PastItsCap_KeepsWholeCharactersWithinTheCapAndNamesTheWholeLength(string text, int cap)
    {
        var capped = SuiteRecordCaps.Text(text, cap)!;

        var marker = $"… (truncated, {Encoding.UTF8.GetByteCount(text)} bytes)";
        Assert.EndsWith(marker, capped, StringComparison.Ordinal);
        var kept = capped[..^marker.Length];
        Assert.NotEmpty(kept);
        Assert.StartsWith(kept, text, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(kept[^1]), "a character was split");
        var stored = JsonSerializer.SerializeToUtf8Bytes(capped, RecordJson.Options).Length - 2;
        Assert.InRange(stored, 1, cap);
        Assert.InRange(Encoding.UTF8.GetByteCount(capped), 1, cap);
        // Capping again changes nothing (a record read back and saved stays as it is).
        Assert.Equal(capped, SuiteRecordCaps.Text(capped, cap));
    }

    [Fact]
    public void Text_WithinItsCap_IsKeptWhole()
    {
        Assert.Equal("cancelled by alice: maintenance", SuiteRecordCaps.Text("cancelled by alice: maintenance", SuiteRecordCaps.ReasonBytes));
        Assert.Null(SuiteRecordCaps.Text(null, SuiteRecordCaps.ReasonBytes));
        var longestCancel = "cancelled by system:serviceaccount:fault-injection-system:ci-runner: " + new string('r', 256);
        Assert.Equal(longestCancel, SuiteRecordCaps.Text(longestCancel, SuiteRecordCaps.ReasonBytes));
        var longestLine = "NVRM: Xid (PCI:0000:3b:00): 79, pid=4194304, name=python3-longest, " + new string('m', 511);
        Assert.Equal(longestLine, SuiteRecordCaps.Text(longestLine, SuiteRecordCaps.LineBytes));
    }

    [Fact]
    public void Steps_MoreEvidenceThanTheDrillsShare_KeepsTheFirstStepsWholeAndSaysWhatTheOthersLeftOut()
    {
        var now = DateTimeOffset.UtcNow;
        var many = Enumerable.Range(0, 12).ToDictionary(i => $"dcgm_field_{i}", i => new string('v', 400), StringComparer.Ordinal);
        var steps = new[]
        {
            new DrillStep("injected", now, 0, new Dictionary<string, string>(StringComparer.Ordinal) { ["fault_id"] = "drill-0123456789abcdef", ["line"] = "NVRM: Xid (PCI:0000:3b:00): 79" }),
            new DrillStep("cordon", now, 1.23456789, new Dictionary<string, string>(StringComparer.Ordinal) { ["unschedulable"] = "true" }),
            new DrillStep("cordon", now, 2, new Dictionary<string, string>(StringComparer.Ordinal)),
            new DrillStep("condition:SysLogsXIDError", now, 3, many),
            new DrillStep("not-expected", now, 4, new Dictionary<string, string>(StringComparer.Ordinal)),
        };

        var copied = SuiteRecordCaps.Steps(steps, ["cordon", "condition:SysLogsXIDError"]);

        Assert.Equal(["injected", "cordon", "condition:SysLogsXIDError"], copied.Select(s => s.Step));
        Assert.Equal(steps[0].Evidence, copied[0].Evidence);
        Assert.Equal(1.235, copied[1].SecondsSinceInjection);
        var leftOut = Assert.Single(copied[2].Evidence);
        Assert.Equal(SuiteRecordCaps.LeftOutKey, leftOut.Key);
        Assert.Matches("^8 entries, [0-9]+ bytes$", leftOut.Value);

        var evidence = SuiteRecordCaps.Evidence(many);
        Assert.Equal(SuiteRecordCaps.EvidenceEntries, evidence.Count);
        Assert.Equal("5 more entries (the drill's record has them)", evidence[SuiteRecordCaps.LeftOutKey]);
        Assert.All(evidence.Where(e => e.Key != SuiteRecordCaps.LeftOutKey), e => Assert.EndsWith("(truncated, 400 bytes)", e.Value, StringComparison.Ordinal));
    }
}
