using System.Reflection;
using System.Text.Json;
using FaultAgent.Grpc;
using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A fault's idempotency key once its record is in the registry's map (<see cref="HeldIdempotencyKey"/>, #14, the agent's
/// memory): a key of the form the API sends (<c>api-</c> and 48 lowercase hex digits) held as its 24 bytes, any other key
/// as the string it came as, and every reader — the key read, equality, hash, <c>with</c>, the journal's JSON — sees what
/// it saw before.
/// </summary>
public sealed class FaultRecordIdempotencyKeyTests
{
    private const string ApiKey = "api-0f9e8d7c6b5a49382716a5b4c3d2e1f00112233445566778";

    private static readonly FieldInfo KeyField = typeof(HeldIdempotencyKey).GetField("_key", BindingFlags.Instance | BindingFlags.NonPublic)!;

    internal static FaultRecord Record(string? key) => new()
    {
        FaultId = "fault-019ae4a1c2b37d3e8f4a5b6c7d8e9f01",
        NodeName = "node-a",
        Kind = FaultKind.Xid,
        Code = 79,
        FaultType = "gpu_xid_79",
        Message = "m",
        Line = "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, m",
        InjectedAt = DateTimeOffset.UnixEpoch,
        IdempotencyKey = key,
        RequestFingerprint = "fp",
    };

    private static object? Held(FaultRecord record) => KeyField.GetValue(record.HeldIdempotencyKey);

    [Fact]
    public void CompactIdempotencyKey_ApiForm_HeldAsBytes_ReadsEqualsHashesAndSerializesAsBefore()
    {
        var given = Record(new string(ApiKey.AsSpan()));
        var json = JsonSerializer.Serialize(given, FaultJournalJsonContext.Default.FaultRecord);
        var compacted = given with { };

        compacted.CompactIdempotencyKey();

        Assert.IsType<ApiIdempotencyKey>(Held(compacted));
        Assert.Equal(ApiKey, compacted.IdempotencyKey);
        Assert.Equal(given, compacted);
        Assert.Equal(compacted, given);
        Assert.Equal(given.GetHashCode(), compacted.GetHashCode());
        Assert.Equal(given.HeldIdempotencyKey.GetHashCode(), compacted.HeldIdempotencyKey.GetHashCode());
        Assert.Equal(json, JsonSerializer.Serialize(compacted, FaultJournalJsonContext.Default.FaultRecord));
        Assert.Equal(compacted, JsonSerializer.Deserialize(json, FaultJournalJsonContext.Default.FaultRecord));
        Assert.IsType<ApiIdempotencyKey>(Held(compacted with { EndedReason = "cleared" }));
        Assert.NotEqual(compacted, Record(ApiKey.Replace("0f9e", "0f9f", StringComparison.Ordinal)));
        Assert.NotEqual(compacted, Record(null));
    }

    [Theory]
    [InlineData("api-0F9E8D7C6B5A49382716A5B4C3D2E1F00112233445566778")]
    [InlineData("api-0f9e8d7c6b5a49382716a5b4c3d2e1f0011223344556677")]
    [InlineData("api-0f9e8d7c6b5a49382716a5b4c3d2e1f001122334455667788")]
    [InlineData("apx-0f9e8d7c6b5a49382716a5b4c3d2e1f00112233445566778")]
    [InlineData("api-0f9e8d7c6b5a49382716a5b4c3d2e1f0011223344556677g")]
    [InlineData("api-")]
    [InlineData("key-1")]
    [InlineData("")]
    public void CompactIdempotencyKey_NotTheApiForm_KeptAsTheStringGiven(string key)
    {
        var given = Record(key);

        given.CompactIdempotencyKey();

        Assert.Same(key, Held(given));
        Assert.Same(key, given.IdempotencyKey);
        Assert.NotEqual(given, Record(ApiKey));
    }

    [Fact]
    public void CompactIdempotencyKey_NoKey_StaysNull()
    {
        var given = Record(null);

        given.CompactIdempotencyKey();

        Assert.Null(given.IdempotencyKey);
        Assert.True(given.HeldIdempotencyKey.IsEmpty);
        Assert.Equal(Record(null), given);
    }

    [Fact]
    public void HeldIdempotencyKey_ApiFormAsBytesAndAsString_EqualAndHashAlike_OtherKeysByTheirCharacters()
    {
        var asBytes = HeldIdempotencyKey.Of(ApiKey).Compact();
        var asString = HeldIdempotencyKey.Of(new string(ApiKey.AsSpan()));

        Assert.Equal(asBytes, asString);
        Assert.Equal(asString, asBytes);
        Assert.Equal(asString.GetHashCode(), asBytes.GetHashCode());
        Assert.NotEqual(asBytes, HeldIdempotencyKey.Of(ApiKey.ToUpperInvariant()));
        Assert.NotEqual(HeldIdempotencyKey.Of(ApiKey.ToUpperInvariant()), asBytes);
        Assert.Equal(HeldIdempotencyKey.Of("key-1"), HeldIdempotencyKey.Of(new string("key-1".AsSpan())));
        Assert.Equal(HeldIdempotencyKey.Of("key-1").GetHashCode(), HeldIdempotencyKey.Of(new string("key-1".AsSpan())).GetHashCode());
        Assert.NotEqual(HeldIdempotencyKey.Of("key-1"), HeldIdempotencyKey.Of("key-2"));
    }

    [Fact]
    public void ToProto_KeyHeldAsBytes_AnswersTheRequestsKeyWhenItIsTheFaults_ElseTheFaultsOwn()
    {
        var fault = Record(ApiKey);
        fault.CompactIdempotencyKey();
        var request = new string(ApiKey.AsSpan());

        Assert.Same(request, fault.ToProto(request).IdempotencyKey);
        Assert.Equal(ApiKey, fault.ToProto().IdempotencyKey);
        Assert.Equal(ApiKey, fault.ToProto("key-1").IdempotencyKey);
        Assert.Equal(ApiKey, fault.ToProto(ApiKey.ToUpperInvariant()).IdempotencyKey);
        Assert.Equal("", Record(null).ToProto(request).IdempotencyKey);
        Assert.Equal("key-1", Record("key-1").ToProto().IdempotencyKey);
    }

    [Fact]
    public void CompactIdempotencyKey_ApiForm_KeepsFewerBytesThanTheString()
    {
        var key = "api-" + new string('7', 48);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var held = HeldIdempotencyKey.Of(key).Compact();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;

        // The key's string: 20 + 2 × 52 characters, 128 bytes; its bytes' object 40.
        Assert.InRange(bytes, 1, 48);
        Assert.Equal(key, held.ToString());
    }
}
