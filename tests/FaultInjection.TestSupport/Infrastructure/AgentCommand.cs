namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// How the tests start the real agent. <c>FAULT_AGENT_EXECUTABLE</c> names the Native AOT binary (scripts/test.sh
/// publishes it, exactly as the image does, and sets the variable), so CI proves the executable that ships; without it
/// (a developer's <c>dotnet test</c>) the agent runs as <c>dotnet FaultAgent.dll</c> from the build output given.
/// </summary>
internal static class AgentCommand
{
    public const string ExecutableVariable = "FAULT_AGENT_EXECUTABLE";

    /// <summary>The native executable, or null when the tests run the build output through <c>dotnet</c>.</summary>
    public static string? NativeExecutable
    {
        get
        {
            var path = Environment.GetEnvironmentVariable(ExecutableVariable);
            if (string.IsNullOrEmpty(path))
            {
                return null;
            }

            var full = Path.GetFullPath(path);
            return File.Exists(full)
                ? full
                : throw new InvalidOperationException($"{ExecutableVariable}={path}: no such file (publish the agent first: scripts/test.sh does).");
        }
    }

    /// <summary>The program, its arguments before the settings, and the working directory that start the agent.</summary>
    public static (string Program, IReadOnlyList<string> Arguments, string WorkingDirectory) For(string buildOutputAssembly) =>
        NativeExecutable is { } native
            ? (native, [], Path.GetDirectoryName(native)!)
            : ("dotnet", [buildOutputAssembly], Path.GetDirectoryName(buildOutputAssembly)!);
}
