namespace FaultApi.Tests.Drills;

/// <summary>
/// A wait on something a stand-in monitor's reaction decides (a drill's verdict, the monitor's own detection), watched
/// by that monitor: it fails at once with <see cref="KernelLogGapException"/> when the monitor lost records its reaction
/// may depend on (instead of after the whole wait), and a wait that times out says what the monitor saw and lost.
/// </summary>
public static class StandInMonitorWaits
{
    /// <summary>The result of <paramref name="wait"/>, unless <paramref name="lost"/> (the monitor's account of what it lost) completes first.</summary>
    public static async Task<T> WatchingAsync<T>(Task<T> wait, Task<string> lost, Func<string> account)
    {
        ArgumentNullException.ThrowIfNull(wait);
        ArgumentNullException.ThrowIfNull(lost);
        ArgumentNullException.ThrowIfNull(account);
        if (await Task.WhenAny(wait, lost) != wait)
        {
            throw new KernelLogGapException(await lost);
        }

        try
        {
            return await wait;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            throw new TimeoutException($"{e.Message} {account()}", e);
        }
    }

    /// <summary>As <see cref="WatchingAsync{T}(Task{T}, Task{string}, Func{string})"/>, watched by every one of <paramref name="monitors"/>.</summary>
    public static Task<T> WatchingAsync<T>(Task<T> wait, IReadOnlyList<StandInHealthMonitor> monitors)
    {
        ArgumentNullException.ThrowIfNull(monitors);
        return WatchingAsync(wait, FirstAsync(monitors.Select(m => m.Lost)), () => Account(monitors));
    }

    /// <summary>Every monitor's <see cref="StandInHealthMonitor.Account"/>, one a line.</summary>
    public static string Account(IEnumerable<StandInHealthMonitor> monitors) => string.Join("\n", monitors.Select(m => m.Account()));

    /// <summary>As <see cref="WatchingAsync{T}(Task{T}, Task{string}, Func{string})"/> for a wait without a result.</summary>
    public static Task WatchingAsync(Task wait, Task<string> lost, Func<string> account)
    {
        ArgumentNullException.ThrowIfNull(wait);
        return WatchingAsync(AsResultAsync(wait), lost, account);
    }

    private static async Task<string> FirstAsync(IEnumerable<Task<string>> lost) => await await Task.WhenAny(lost);

    private static async Task<bool> AsResultAsync(Task wait)
    {
        await wait;
        return true;
    }
}
