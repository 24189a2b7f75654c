using FaultApi.Tests.Drills;
using FaultApi.Tests.EndToEnd;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// Every API test class that uses a root fixture skips, saying why, when the tests do not run as root (a class without
/// the trait, or with one plain fact, fails in the fixture's constructor instead: SuiteTests did until 2026-12-03).
/// </summary>
public sealed class RootTraitTests
{
    [Fact]
    public void FindUnskippable_ApiTestClasses_NoneWouldFailWithoutRoot()
    {
        var testClasses = typeof(RootTraitTests).Assembly.GetTypes().Where(t => t.DeclaringType != typeof(RootTraitTests)).ToList();

        Assert.Empty(RootFixtureUsage.FindUnskippable(testClasses));
    }

    [Fact]
    public void FindUnskippable_ClassesMissingTheTraitOrWithAPlainFact_NamesEach()
    {
        var problems = RootFixtureUsage.FindUnskippable(
            [typeof(ClassFixtureWithoutTrait), typeof(CollectionWithPlainFact), typeof(MarkedClassFixture), typeof(MultiNodeClusterDefinition)]);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith(typeof(ClassFixtureWithoutTrait).FullName + ": uses a root fixture but has no [Trait", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(typeof(ClassFixtureWithoutTrait).FullName + ".Plain: a [Fact]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(typeof(CollectionWithPlainFact).FullName + ".Plain: a [Theory]", StringComparison.Ordinal));
    }

    // Specimens the guard reads, never run: private, so xUnit does not discover them (xUnit1000 says so on purpose).
#pragma warning disable xUnit1000
    private sealed class ClassFixtureWithoutTrait : IClassFixture<DrillCluster>
    {
        [Fact]
        public void Plain()
        {
        }
    }

    [Collection(MultiNodeClusterDefinition.Name)]
    [Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
    private sealed class CollectionWithPlainFact
    {
        [Theory]
        [InlineData(1)]
        public void Plain(int value) => Assert.Equal(1, value);

        [RootFact]
        public void Marked()
        {
        }
    }

    [Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
    private sealed class MarkedClassFixture : IClassFixture<DrillCluster>
    {
        [RootFact]
        public void Marked()
        {
        }
    }
#pragma warning restore xUnit1000
}
