namespace FaultAgent.Tests.Infrastructure;

/// <summary>Paths of the files copied into the test output's TestData folder.</summary>
public static class TestData
{
    public static string ProcRoot(string tree) => Path.Combine(AppContext.BaseDirectory, "TestData", "proc", tree);
}
