using FaultAgent.Drivers;
using FaultAgent.Faults;

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
}
