using System.Xml.Linq;
using FaultAgent.Tests.Compatibility;
using FaultAgent.Tests.Infrastructure;

namespace FaultAgent.Tests.Hosting;

/// <summary>
/// The generic types the agent's DI container builds while it starts are compiled into the native agent
/// (src/FaultAgent/Hosting/StartupGenericTypes.rd.xml, #14, BENCHMARKS.md "the agent's start"): one that is not is built
/// at run time by the Native AOT type loader (the ~330 the start needed: ~37 % of its CPU).
/// </summary>
public sealed class StartupGenericTypesTests
{
    [RootFact]
    [Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
    public async Task Agent_Started_EveryGenericTypeItsContainerBuildsIsCompiledIn()
    {
        using var listener = new ContainerGenericTypesListener();
        using var target = new TargetNamespaceProcess();
        await using var factory = new AgentApplicationFactory(target.Pid);

        var built = listener.BuiltBy(factory.Services);
        var listed = Listed();

        Assert.NotEmpty(built);
        var missing = built.Where(t => !listed.Contains(t) && !TestHostOnly.Any(t.Name.Contains)).Order().Select(t => $"{t.Assembly}: <Type Name=\"{t.Name}\" Dynamic=\"Required All\" />").ToList();
        Assert.True(missing.Count == 0, $"Built at run time by the native agent; add to StartupGenericTypes.rd.xml:{Environment.NewLine}{string.Join(Environment.NewLine, missing)}");
    }

    /// <summary>
    /// What only this test's host builds, not the agent as it ships: the factory's Development environment (the developer
    /// exception page) and the full Kestrel its <c>UseKestrel</c> adds (KestrelServer, the HTTPS middleware); the published
    /// agent's start, traced with the same listener, builds none of them.
    /// </summary>
    private static readonly string[] TestHostOnly =
    [
        "Microsoft.AspNetCore.Builder.DeveloperExceptionPageOptions",
        "Microsoft.AspNetCore.Diagnostics.IDeveloperPageExceptionFilter",
        "Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServer,",
        "Microsoft.AspNetCore.Server.Kestrel.Https.Internal.HttpsConnectionMiddleware",
    ];

    private static HashSet<(string Assembly, string Name)> Listed() =>
        [.. Document().Descendants("Assembly")
            .SelectMany(assembly => assembly.Elements("Type").Select(type => ((string)assembly.Attribute("Name")!, (string)type.Attribute("Name")!)))];

    private static XDocument Document() =>
        XDocument.Load(Path.Combine(CompatibilityMatrixTests.RepositoryRoot(), "src", "FaultAgent", "Hosting", "StartupGenericTypes.rd.xml"));
}
