using FaultAgent.Registry;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// The registry's records by id in one array of slots (<see cref="FaultRecordSlots"/>, #14, the agent's memory): every
/// add, replace and remove leaves exactly what a dictionary of the same ids holds, found by the id's string, its
/// characters and its held identity, generated ids and others alike.
/// </summary>
public sealed class FaultRecordSlotsTests
{
    private static FaultRecord Record(string id, string message = "m") => new()
    {
        FaultId = id,
        NodeName = "node-a",
        Kind = FaultKind.Xid,
        Code = 79,
        FaultType = "gpu_xid_79",
        Message = message,
    };

    private static string Id(int n) => n % 5 == 0 ? $"drill-{n}" : $"fault-{n + 1:x32}";

    [Fact]
    public void SetAndRemove_ThousandsOfRecordsInMixedOrder_HoldExactlyWhatADictionaryHolds()
    {
        var random = new Random(14);
        var slots = new FaultRecordSlots();
        var expected = new Dictionary<string, FaultRecord>(StringComparer.Ordinal);

        for (var step = 0; step < 40_000; step++)
        {
            var id = Id(random.Next(6_000));
            if (random.Next(3) == 0)
            {
                Assert.Equal(expected.Remove(id, out var gone), slots.Remove(id, out var removed));
                Assert.Same(gone, removed);
            }
            else
            {
                var record = Record(id, $"m{step}");
                expected.TryGetValue(id, out var replaced);
                Assert.Same(replaced, slots.Set(record));
                expected[id] = record;
            }

            if (step % 4_000 == 0 || step == 39_999)
            {
                Assert.Equal(expected.Count, slots.Count);
                Assert.Equal(expected.Values.OrderBy(r => r.FaultId, StringComparer.Ordinal), slots.OrderBy(r => r.FaultId, StringComparer.Ordinal));
                for (var n = 0; n < 6_000; n++)
                {
                    var found = expected.TryGetValue(Id(n), out var record);
                    Assert.Equal(found, slots.TryGetValue(Id(n).AsSpan(), out var byChars));
                    Assert.Equal(found, slots.TryGetValue(Record(Id(n)).Identity, out var byIdentity));
                    Assert.Same(record, byChars);
                    Assert.Same(record, byIdentity);
                }
            }
        }
    }

    [Fact]
    public void SetAndRemove_ByIdempotencyKey_ThousandsOfRecordsInMixedOrder_HoldExactlyWhatADictionaryOfTheKeysHolds()
    {
        static string Key(int n) => n % 3 == 0 ? $"key-{n}" : $"api-{n + 1:x48}";
        static FaultRecord Keyed(int n, int step)
        {
            var record = Record(Id(step), $"m{step}") with { IdempotencyKey = new string(Key(n).AsSpan()) };
            if (step % 2 == 0)
            {
                record.CompactIdempotencyKey();
            }

            return record;
        }

        var random = new Random(14);
        var slots = new FaultRecordSlots(FaultRecordSlotKey.IdempotencyKey);
        var expected = new Dictionary<string, FaultRecord>(StringComparer.Ordinal);

        for (var step = 0; step < 40_000; step++)
        {
            var n = random.Next(6_000);
            if (random.Next(3) == 0)
            {
                Assert.Equal(expected.Remove(Key(n), out var gone), slots.Remove(HeldIdempotencyKey.Of(Key(n)), out var removed));
                Assert.Same(gone, removed);
            }
            else
            {
                var record = Keyed(n, step);
                expected.TryGetValue(Key(n), out var replaced);
                Assert.Same(replaced, slots.Set(record));
                expected[Key(n)] = record;
            }

            if (step % 4_000 == 0 || step == 39_999)
            {
                Assert.Equal(expected.Count, slots.Count);
                for (var k = 0; k < 6_000; k++)
                {
                    var found = expected.TryGetValue(Key(k), out var record);
                    Assert.Equal(found, slots.TryGetValue(HeldIdempotencyKey.Of(Key(k)), out var byKey));
                    Assert.Same(record, byKey);
                }
            }
        }
    }

    [Fact]
    public void RemoveAll_EveryRecord_EmptyAndUsableAgain()
    {
        var slots = new FaultRecordSlots();
        for (var n = 0; n < 1_000; n++)
        {
            slots.Set(Record(Id(n)));
        }

        for (var n = 999; n >= 0; n--)
        {
            Assert.True(slots.Remove(Id(n), out _));
        }

        Assert.Empty(slots);
        Assert.False(slots.Remove(Id(1), out _));
        slots.Set(Record(Id(7)));
        Assert.True(slots.TryGetValue(Id(7).AsSpan(), out _));
    }

    [Fact]
    public void Enumerate_ChangedWhileEnumerating_Throws()
    {
        var slots = new FaultRecordSlots();
        slots.Set(Record(Id(1)));
        slots.Set(Record(Id(2)));

        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var record in slots)
            {
                slots.Set(Record(Id(3)));
            }
        });

        Assert.Contains("changed while they were enumerated", error.Message, StringComparison.Ordinal);
    }
}
