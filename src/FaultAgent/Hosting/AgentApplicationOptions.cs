namespace FaultAgent.Hosting;

/// <summary>
/// How the agent's host is created, fixed in code: settings files are read once at start and never watched. With
/// reload-on-change (the .NET default) the host puts a recursive inotify watch on its content root, the working
/// directory: started from <c>/</c> on a node that walks the whole host filesystem (tens of thousands of watches, a
/// start of seconds to minutes) and holds an inotify instance per agent. Nothing the agent reads from settings is
/// meant to change under a running process; the token file has its own watcher.
/// </summary>
public static class AgentApplicationOptions
{
    /// <summary>The command-line switch appended after the caller's arguments, so no deployment setting can turn watching back on.</summary>
    public const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    public static WebApplicationOptions For(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new WebApplicationOptions { Args = [.. args, NoConfigReload] };
    }
}
