namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// A fresh directory of this user's own under the temp dir (mode 700, a new name each time), deleted on dispose. Not a
/// shared parent: one that a root run created first would refuse every later run as another user.
/// </summary>
public sealed class TestDirectory : IDisposable
{
    public TestDirectory()
    {
        Path = Directory.CreateTempSubdirectory("fault-agent-tests-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
