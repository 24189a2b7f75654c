using FaultAgent.Registry;

namespace FaultAgent.Hosting;

public static class StateDirectoryLockApplicationExtensions
{
    /// <summary>
    /// Takes the exclusive lock on <c>Agent:StateDirectory</c> (<see cref="StateDirectoryLock"/>) right after the app is
    /// built, before any service reads or writes the directory; throws <see cref="StateDirectoryLockedException"/>,
    /// naming the holder, when another agent has it.
    /// </summary>
    public static WebApplication LockStateDirectory(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<StateDirectoryLock>().Acquire();
        return app;
    }
}
