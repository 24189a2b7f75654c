namespace FaultApi.Hosting;

/// <summary>
/// How the API's host is created, fixed in code: settings files are read once at start and never watched. With
/// reload-on-change (the .NET default) the host puts a recursive inotify watch on its content root, the working
/// directory (started from <c>/</c>: the whole filesystem). Nothing the API reads from settings is meant to change under
/// a running process; the token files have their own watchers.
/// </summary>
public static class ApiApplicationOptions
{
    /// <summary>The command-line switch appended after the caller's arguments, so no deployment setting can turn watching back on.</summary>
    public const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    public static WebApplicationOptions For(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new WebApplicationOptions { Args = [.. args, NoConfigReload] };
    }
}
