using FaultAgent.Drivers;
using FaultAgent.Faults;
using FaultAgent.Injection;

namespace FaultAgent.Tests.Faults;

/// <summary>The values fault after fault repeats are kept once, equal to what was asked, and the set kept is bounded.</summary>
public sealed class RepeatedFaultValuesTests
{
    private static DriverLineFacts Facts(params string[] notes) =>
        new(new string("535.161.08".AsSpan()), "node", "r565", null, null, [.. notes.Select(n => new string(n.AsSpan()))]);

    [Fact]
    public void Share_EqualStrings_ReturnsTheFirstInstance()
    {
        var values = new RepeatedFaultValues();
        var first = new string("gpu_xid_79".AsSpan());
        var second = new string("gpu_xid_79".AsSpan());

        Assert.Same(first, values.Share(first));
        Assert.Same(first, values.Share(second));
        Assert.Equal("gpu_xid_43", values.Share("gpu_xid_43"));
    }

    [Fact]
    public void Share_EqualDriverFacts_ReturnsOneInstanceWithTheSameContent()
    {
        var values = new RepeatedFaultValues();
        var first = values.Share(Facts("The board serial is unknown (not looked up): the line is left out."));
        var second = values.Share(Facts("The board serial is unknown (not looked up): the line is left out."));

        Assert.Same(first, second);
        Assert.Equal("535.161.08", first.DriverVersion);
        Assert.Equal(["The board serial is unknown (not looked up): the line is left out."], first.Notes);
    }

    [Fact]
    public void Share_DriverFactsWithOtherNotes_KeepsThemApart()
    {
        var values = new RepeatedFaultValues();
        var one = values.Share(Facts("note a"));
        var two = values.Share(Facts("note b"));
        var none = values.Share(Facts());

        Assert.NotSame(one, two);
        Assert.Equal(["note a"], one.Notes);
        Assert.Equal(["note b"], two.Notes);
        Assert.Empty(none.Notes);
        Assert.Same(none, values.Share(Facts()));
        Assert.NotSame(one, values.Share(Facts("note a", "note b")));
    }

    [Fact]
    public void Share_PastCapacity_ReturnsNewValuesUnkept()
    {
        var values = new RepeatedFaultValues();
        for (var i = 0; i < RepeatedFaultValues.Capacity; i++)
        {
            values.Share($"caller-{i}");
        }

        var late = new string("caller-late".AsSpan());
        Assert.Same(late, values.Share(late));
        Assert.NotSame(late, values.Share(new string("caller-late".AsSpan())));
        Assert.Equal("caller-late", values.Share("caller-late"));
    }

    private static InjectionLines Lines(string message) => new(
        $"NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, {message}",
        message,
        [
            new KernelLogLine(3, new string("NVRM: NVRM: GPU at PCI:0000:3b:00: GPU-2b7c7e5a-8f4e-4c1a-9d3b-1a2b3c4d5e6f".AsSpan())),
            new KernelLogLine(3, $"NVRM: NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, {message}"),
            new KernelLogLine(3, new string("NVRM: NVRM: GPU 0000:3b:00.0: GPU has fallen off the bus.".AsSpan())),
        ],
        MainRecordIndex: 1) { Notes = ["a note"] };

    [Fact]
    public void ShareCompanionRecords_TwoInjectionsOnOneGpu_ShareCompanionTextsNotTheMainRecord()
    {
        var values = new RepeatedFaultValues();
        var first = Lines("first");
        var second = Lines("second");

        var one = values.ShareCompanionRecords(first);
        var two = values.ShareCompanionRecords(second);

        Assert.Equal(second.Records, two.Records);
        Assert.Same(second.Records[1], two.Records[1]);
        Assert.Same(one.Records[0].Text, two.Records[0].Text);
        Assert.Same(one.Records[2].Text, two.Records[2].Text);
        Assert.Contains("second", two.Records[1].Text, StringComparison.Ordinal);
        Assert.Contains("first", one.Records[1].Text, StringComparison.Ordinal);
        Assert.Equal((second.MonitorLine, second.Message, second.MainRecordIndex), (two.MonitorLine, two.Message, two.MainRecordIndex));
        Assert.Same(second.Notes, two.Notes);
    }

    [Fact]
    public void ShareCompanionRecords_CallersFillTheirSet_CompanionsStillShared()
    {
        var values = new RepeatedFaultValues();
        for (var i = 0; i < RepeatedFaultValues.Capacity; i++)
        {
            values.Share($"caller-{i}");
        }

        var one = values.ShareCompanionRecords(Lines("first"));
        var two = values.ShareCompanionRecords(Lines("second"));

        Assert.Same(one.Records[2].Text, two.Records[2].Text);
    }

    [Fact]
    public void ShareCompanionRecords_PastCapacity_NewTextsUnkept()
    {
        var values = new RepeatedFaultValues();
        for (var i = 0; i < RepeatedFaultValues.Capacity; i++)
        {
            values.ShareCompanionRecords(new InjectionLines("main", "m", [new KernelLogLine(3, "main"), new KernelLogLine(3, $"companion-{i}")], 0));
        }

        var one = values.ShareCompanionRecords(Lines("first"));
        var two = values.ShareCompanionRecords(Lines("second"));

        Assert.NotSame(one.Records[2].Text, two.Records[2].Text);
        Assert.Equal(one.Records[2].Text, two.Records[2].Text);
    }
}
