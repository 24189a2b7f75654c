namespace FaultAgent.Tests.Infrastructure;

/// <summary>Every agent test class that uses a root fixture skips, saying why, when the tests do not run as root.</summary>
public sealed class RootTraitTests
{
    [Fact]
    public void FindUnskippable_AgentTestClasses_NoneWouldFailWithoutRoot()
    {
        Assert.Empty(RootFixtureUsage.FindUnskippable(typeof(RootTraitTests).Assembly));
    }
}
