using FaultApi.Faults;

namespace FaultApi.Tests.Faults;

/// <summary>The request key the API generates when the caller sends no Idempotency-Key.</summary>
public sealed class IdempotencyKeysTests
{
    [Fact]
    public void NewRequestKey_Is32LowercaseHexDigits_NewEachCall()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => IdempotencyKeys.NewRequestKey()).ToList();

        // The form Guid.ToString("N") had: every fault id and per-node key is derived from it.
        Assert.All(keys, k => Assert.Matches("^[0-9a-f]{32}$", k));
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }
}
