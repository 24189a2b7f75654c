using System.Reflection;
using System.Text.Json;
using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// The Xid/SXid record can hold the fault's line instead of a second copy of it (#14, the agent's memory); its text,
/// equality, hash and serialized form are those of the record holding the whole text.
/// </summary>
public sealed class FaultKernelRecordTests
{
    private const string Line = "NVRM: Xid (PCI:0000:3b:00): 79, pid=4242, name=trainer, GPU has fallen off the bus.";
    private const string SxidLine = "nvidia-nvswitch3: SXid (PCI:0000:c7:00.0): 12028, Non-fatal, Link 03 egress non-posted PRIV error";

    private static FaultKernelRecord Plain(string text) => new(new string(text.AsSpan()), 3, 1, 42, 7, DateTimeOffset.UnixEpoch);

    internal static IEnumerable<string?> HeldStrings(FaultKernelRecord record) =>
        typeof(FaultKernelRecord).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(f => f.FieldType == typeof(string))
            .Select(f => (string?)f.GetValue(record));

    [Theory]
    [InlineData(Line, "NVRM: ")]
    [InlineData(SxidLine, "nvidia-nvswitch3: ")]
    public void RepeatingLine_TextIsTheLineBehindItsIdentifier_HoldsTheLineInstanceReadsTheSame(string line, string head)
    {
        var line2 = new string(line.AsSpan());
        var plain = Plain(head + line);

        var held = plain.RepeatingLine(line2);

        Assert.Equal(head + line, held.Text);
        Assert.Contains(HeldStrings(held), s => ReferenceEquals(s, line2));
        Assert.DoesNotContain(head + line, HeldStrings(held));
        Assert.Equal(plain, held);
        Assert.Equal(held, plain);
        Assert.Equal(plain.GetHashCode(), held.GetHashCode());
        Assert.Equal(JsonSerializer.Serialize(plain, FaultJournalJsonContext.Default.FaultKernelRecord), JsonSerializer.Serialize(held, FaultJournalJsonContext.Default.FaultKernelRecord));
        Assert.Equal(plain.ToString(), held.ToString());
    }

    [Fact]
    public void RepeatingLine_CompanionOrOtherHead_ReturnsTheRecordItself()
    {
        var companion = Plain("NVRM: GPU 0000:3b:00.0: GPU has fallen off the bus.");
        var otherHead = Plain("XXXX: " + Line);
        var same = Plain(Line);

        Assert.Same(companion, companion.RepeatingLine(Line));
        Assert.Same(otherHead, otherHead.RepeatingLine(Line));
        Assert.Same(same, same.RepeatingLine(Line));
    }

    [Fact]
    public void With_HeldRecord_KeepsOrReplacesItsText()
    {
        var held = Plain("NVRM: " + Line).RepeatingLine(Line);

        var unconfirmed = held with { Sequence = 0, TimestampMicroseconds = 0, ObservedAt = null };
        var replaced = held with { Text = "NVRM: other" };

        Assert.Equal("NVRM: " + Line, unconfirmed.Text);
        Assert.Equal(0UL, unconfirmed.Sequence);
        Assert.Equal("NVRM: other", replaced.Text);
        Assert.NotEqual(held, replaced);
        Assert.NotEqual(held, Plain("NVRM: " + Line) with { Sequence = 43 });
        Assert.NotEqual(held, Plain("NVRM: " + Line[..^1] + "!"));
    }
}
