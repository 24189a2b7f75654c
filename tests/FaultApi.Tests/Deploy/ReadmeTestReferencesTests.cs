using System.Text.RegularExpressions;

namespace FaultApi.Tests.Deploy;

/// <summary>
/// Every test the README names as the proof of a claim exists under that name: <c>`Class.Method`</c>, and
/// <c>`.Method`</c> for another test of the class named last. A renamed or misnamed test leaves a claim without its proof.
/// </summary>
public sealed partial class ReadmeTestReferencesTests
{
    [Fact]
    public void Readme_EveryTestItNames_IsDeclaredInThatTestClass()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();

        var missing = new List<string>();
        var named = 0;
        string? lastClass = null;
        foreach (Match reference in TestReference().Matches(readme))
        {
            var method = reference.Groups["method"].Value;
            if (reference.Groups["class"].Success)
            {
                lastClass = reference.Groups["class"].Value;
            }

            if (lastClass is null)
            {
                missing.Add($".{method} (no class named before it)");
                continue;
            }

            named++;
            var declaration = new Regex($@"\b{Regex.Escape(method)}\s*\(", RegexOptions.CultureInvariant);
            var classDeclaration = new Regex($@"\bclass {Regex.Escape(lastClass)}\b", RegexOptions.CultureInvariant);
            if (!sources.Any(s => classDeclaration.IsMatch(s) && declaration.IsMatch(s)))
            {
                missing.Add($"{lastClass}.{method}");
            }
        }

        Assert.True(named > 100, $"only {named} test references read from README.md: the pattern no longer matches its form");
        Assert.True(missing.Count == 0, $"README.md names tests that do not exist: {string.Join(", ", missing)}");
    }

    [GeneratedRegex(@"`(?<class>[A-Z][A-Za-z0-9]*)?\.(?<method>[A-Z][A-Za-z0-9]*_[A-Za-z0-9_]+)`", RegexOptions.CultureInvariant)]
    private static partial Regex TestReference();
}
