namespace FaultApi.Tests.Deploy;

/// <summary>The repository's root: the nearest directory above the test output holding FaultInjection.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "FaultInjection.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No FaultInjection.sln above {AppContext.BaseDirectory}.");
    }
}
