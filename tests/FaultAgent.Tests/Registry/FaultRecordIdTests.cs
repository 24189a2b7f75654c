using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A fault's id as <see cref="FaultRecord"/> holds it (#14, the agent's memory, faultbytes5): a generated id as its two
/// words in the record, an id of any other form as its text among the record's extras — one reference fewer in every
/// record. Every reader (the id, the registry's map, equality, hash, the journal) sees the id it was given.
/// </summary>
public sealed class FaultRecordIdTests
{
    private const string GeneratedId = "fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f02";

    private static FaultRecord Fault(string id) => FaultRecordIdempotencyKeyTests.Record(null) with { FaultId = id };

    [Fact]
    public void FaultId_Generated_HeldWithoutExtrasInARecordOf136Bytes()
    {
        var fault = Fault(GeneratedId);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var copy = fault with { };
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(copy);

        Assert.Equal(136, bytes);
        Assert.Equal(GeneratedId, copy.FaultId);
        Assert.Null(copy.Identity.Text);
        Assert.Equal(fault, Fault(new string(GeneratedId.AsSpan())));
    }

    [Theory]
    [InlineData(GeneratedId)]
    [InlineData("custom-1")]
    [InlineData("fault-00000000000000000000000000000000")]
    [InlineData("fault-019AE4A1C2B37D3E8F4A5B6C7D8E9F01")]
    [InlineData("fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f0")]
    [InlineData("")]
    public void FaultId_AnyForm_ReadBackFoundEqualAndHashedByItsCharacters(string id)
    {
        var fault = Fault(id);
        var map = new FaultRecordMap();
        map.Set(fault, out _);

        Assert.Equal(id, fault.FaultId);
        Assert.Equal(FaultIdentity.Of(id), fault.Identity);
        Assert.Equal(FaultIdentity.HashOf(id), fault.Identity.GetHashCode());
        Assert.True(fault.Identity.Is(id));
        Assert.Same(fault, map[new string(id.AsSpan())]);
        Assert.True(map.TryGetValue(FaultIdentity.Of(id), out var found) && ReferenceEquals(found, fault));
        Assert.Equal(fault, Fault(new string(id.AsSpan())));
        Assert.Equal(fault.GetHashCode(), Fault(new string(id.AsSpan())).GetHashCode());
        Assert.Equal(fault, FaultRecordLineHeadTests.ReadJournal(FaultRecordLineHeadTests.Journal(fault)));
        Assert.Equal(id, (fault with { FaultId = GeneratedId } with { FaultId = id }).FaultId);
        Assert.Equal(fault, fault with { FaultId = GeneratedId } with { FaultId = id });
        Assert.NotEqual(fault, fault with { FaultId = id == GeneratedId ? "custom-1" : GeneratedId });
        Assert.False(map.ContainsKey(id + "x"));
    }
}
