namespace FaultApi.Tests.Infrastructure;

/// <summary>Waits for a condition with a generous deadline (never a fixed sleep).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>As <see cref="TrueAsync(Func{Task{bool}}, string, TimeSpan?)"/>; on timeout the message ends with <paramref name="lastSeen"/>'s account of what the condition saw last.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, Func<string> lastSeen, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(lastSeen);
        try
        {
            await TrueAsync(condition, what, timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Last seen: {lastSeen()}", e);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);
}
