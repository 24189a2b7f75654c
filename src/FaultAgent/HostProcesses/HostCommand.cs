namespace FaultAgent.HostProcesses;

/// <summary>
/// A program to run in the host's namespaces: an argument list (never a shell string), a deadline, and where to run.
/// </summary>
/// <param name="Program">The program's path as the host sees it (resolved in the host's mount namespace).</param>
/// <param name="Arguments">The arguments, each passed as one argv element.</param>
/// <param name="Timeout">How long the program may run; past it the whole process tree is killed.</param>
public sealed record HostCommand(string Program, IReadOnlyList<string> Arguments, TimeSpan Timeout)
{
    /// <summary>The working directory, a path in the host's mount namespace; null: the host's root.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The most bytes kept of each of stdout and stderr; null: <c>Agent:Tools:MaxOutputBytes</c>.</summary>
    public int? MaxOutputBytes { get; init; }

    /// <summary>
    /// Called by the runner as soon as <see cref="Timeout"/> begins to count (the program started), before
    /// <see cref="IHostCommandRunner.RunAsync"/> returns; not called when the program never started. So a caller can say
    /// how much of the timeout is left, counted from the runner's own start, not from before it.
    /// </summary>
    public Action? TimeoutStarted { get; init; }

    public override string ToString() => Arguments.Count == 0 ? Program : Program + " " + string.Join(' ', Arguments);
}
