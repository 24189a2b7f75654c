using System.Diagnostics;
using FaultAgent.Tests.Compatibility;

namespace FaultAgent.Tests.Xids;

/// <summary>
/// The catalogues are what <c>tools/generate_xid_catalog.py</c> makes of the samples (../shared/samples beside the
/// repository, or beside the main checkout of a worktree), so the next catalogue update is that one command.
/// </summary>
public sealed class XidCatalogGeneratorTests
{
    [Fact]
    public async Task GenerateXidCatalog_Check_CommittedCataloguesAreWhatTheSamplesGive()
    {
        var root = CompatibilityMatrixTests.RepositoryRoot();
        var start = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(Path.Combine(root, "tools", "generate_xid_catalog.py"));
        start.ArgumentList.Add("--check");

        using var generator = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        var output = generator.StandardOutput.ReadToEndAsync();
        var error = generator.StandardError.ReadToEndAsync();
        await generator.WaitForExitAsync();

        Assert.True(generator.ExitCode == 0, $"generate_xid_catalog.py --check exited with {generator.ExitCode}: {await error}{await output}");
        Assert.Contains("catalogues up to date", await output, StringComparison.Ordinal);
    }
}
