using FaultAgent.Injection;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// The real <see cref="IGpuBoardInfoSource"/> whose lookups a test can see begin: <see cref="Asked"/> completes when the
/// first <see cref="GetAsync"/> (an injection asking for a board serial) reaches it; every call goes to the real source unchanged.
/// </summary>
public sealed class ObservedBoardInfoSource(IGpuBoardInfoSource inner) : IGpuBoardInfoSource
{
    private readonly TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once an injection has asked for a board's values.</summary>
    public Task Asked => _asked.Task;

    public Task<GpuBoardInfo> GetAsync(string pciBusId, CancellationToken cancellationToken)
    {
        _asked.TrySetResult();
        return inner.GetAsync(pciBusId, cancellationToken);
    }

    public void LookAhead(IReadOnlyCollection<string> pciBusIds) => inner.LookAhead(pciBusIds);
}
