using System.Text.RegularExpressions;
using FaultAgent.Tests.Compatibility;

namespace FaultAgent.Tests;

/// <summary>
/// The agent's domain folders speak their own types: the contract's messages (FaultInjection.Agent.V1), gRPC's types
/// (Grpc.*) and protobuf's (Google.Protobuf, Google.Rpc) appear only in the gRPC adapter (Grpc/), the host wiring
/// (Hosting/) and Program.cs (issue #15).
/// </summary>
public sealed partial class AgentLayerTests
{
    private static readonly string[] AdapterFolders = ["Grpc", "Hosting"];

    [Fact]
    public void DomainFolders_NoContractOrGrpcTypes_OnlyTheAdaptersUseThem()
    {
        var agent = Path.Combine(CompatibilityMatrixTests.RepositoryRoot(), "src", "FaultAgent");
        var files = Directory.EnumerateFiles(agent, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(agent, f))
            .Where(f => !f.StartsWith("obj", StringComparison.Ordinal) && !f.StartsWith("bin", StringComparison.Ordinal))
            .ToList();

        var leaks = files
            .Where(f => f != "Program.cs" && !AdapterFolders.Contains(f.Split(Path.DirectorySeparatorChar)[0]))
            .SelectMany(f => ContractReferences(File.ReadAllText(Path.Combine(agent, f))).Select(r => $"{f}: {r}"))
            .ToList();

        Assert.True(files.Count > 100, $"only {files.Count} source files found under {agent}");
        Assert.Empty(leaks);
        Assert.NotEmpty(files.Where(f => f.StartsWith("Grpc", StringComparison.Ordinal)).SelectMany(f => ContractReferences(File.ReadAllText(Path.Combine(agent, f)))));
    }

    [Theory]
    [InlineData("using FaultInjection.Agent.V1;", "FaultInjection.Agent.V1")]
    [InlineData("using Proto = FaultInjection.Agent.V1;", "FaultInjection.Agent.V1")]
    [InlineData("throw new RpcException(new Status(global::Grpc.Core.StatusCode.NotFound, \"x\"));", "Grpc.Core")]
    [InlineData("var at = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(now);", "Google.Protobuf")]
    [InlineData("using Google.Rpc;", "Google.Rpc")]
    public void ContractReferences_ContractOrGrpcName_Found(string source, string expected)
    {
        Assert.Equal([expected], ContractReferences(source));
    }

    [Theory]
    [InlineData("/// <summary>The gRPC adapter answers each kind with its own status.</summary>")]
    [InlineData("if (request.ContentType == \"application/grpc\") { }")]
    [InlineData("using FaultAgent.Telemetry;")]
    public void ContractReferences_DomainSource_NoneFound(string source)
    {
        Assert.Empty(ContractReferences(source));
    }

    private static List<string> ContractReferences(string source) =>
        [.. ContractNamespace().Matches(source).Select(m => m.Value).Distinct()];

    [GeneratedRegex(@"\b(FaultInjection\.Agent\.V1|Grpc\.(Core|AspNetCore|Net)|Google\.(Protobuf|Rpc))\b", RegexOptions.CultureInvariant)]
    private static partial Regex ContractNamespace();
}
