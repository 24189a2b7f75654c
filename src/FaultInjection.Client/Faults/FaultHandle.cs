using System.Net;

namespace FaultInjection.Client.Faults;

/// <summary>
/// An injected fault that is cleared (<c>DELETE /api/v1/faults/{id}</c>) when disposed:
/// <c>await using var fault = await client.InjectXidAsync("gpu-node-001", 79, gpuId: 0);</c>.
/// Clearing is idempotent (done at most once) and a fault that is already gone (404) counts as cleared.
/// A dry run wrote nothing, so disposing it calls nothing. Clearing ends the fault's record; the line stays in the kernel log.
/// </summary>
public sealed class FaultHandle : IAsyncDisposable
{
    private readonly FaultInjectionClient _client;
    private int _cleared;

    internal FaultHandle(FaultInjectionClient client, Fault result)
    {
        _client = client;
        Result = result;
    }

    /// <summary>The fault's id.</summary>
    public string FaultId => Result.FaultId;

    /// <summary>The node it was injected on.</summary>
    public string NodeName => Result.NodeName;

    /// <summary>The API's answer to the injection (line, kernel records, status).</summary>
    public Fault Result { get; }

    /// <summary>True once the fault was cleared through this handle (or found already gone).</summary>
    public bool IsCleared => Volatile.Read(ref _cleared) != 0;

    /// <summary>Clears the fault now; later calls (and <see cref="DisposeAsync"/>) do nothing. A 404 counts as cleared.</summary>
    public async Task ClearAsync(string? reason = null, CancellationToken cancellationToken = default)
    {
        if (Result.DryRun || Interlocked.Exchange(ref _cleared, 1) != 0)
        {
            return;
        }

        try
        {
            await _client.ClearFaultAsync(FaultId, NodeName, reason, cancellationToken).ConfigureAwait(false);
        }
        catch (FaultInjectionApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already cleared elsewhere, or the record was pruned: nothing left to clear.
        }
        catch
        {
            Volatile.Write(ref _cleared, 0);
            throw;
        }
    }

    /// <summary>Clears the fault (<see cref="ClearAsync"/>) unless that was done already.</summary>
    /// <returns>A task that completes once the fault is cleared.</returns>
    public async ValueTask DisposeAsync() => await ClearAsync().ConfigureAwait(false);
}
