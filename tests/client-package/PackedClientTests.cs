using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Xml.Linq;
using FaultInjection.Client;
using FaultInjection.Client.Faults;

namespace ClientPackageConsumer;

/// <summary>
/// The client as a user gets it: the FaultInjection.Client package restored from the packed feed (not the project),
/// used against the product run locally (FAULT_INJECTION_API, FAULT_INJECTION_TOKEN), and what the package carries.
/// </summary>
public sealed class PackedClientTests
{
    private const string Node = "gpu-node-001";

    private static string ExpectedVersion => Metadata("FaultInjectionClientVersion");

    private static string PackageDirectory => Path.Combine(Metadata("NuGetPackageRoot"), "faultinjection.client", ExpectedVersion);

    private static string Metadata(string key) => typeof(PackedClientTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    [Fact]
    public async Task InjectXidAsync_FromThePackage_InjectsAndDisposeClearsTheFault()
    {
        var marker = $"packed-client-{Guid.NewGuid():N}"[..26];
        using var client = FaultInjectionClient.FromEnvironment();
        string faultId;

        await using (var fault = await client.InjectXidAsync(Node, 79, gpuId: 5, new XidInjectionOptions { Message = $"GPU has fallen off the bus. {marker}", Duration = TimeSpan.FromMinutes(10) }))
        {
            faultId = fault.FaultId;
            Assert.Equal("injected", fault.Result.Status);
            Assert.Contains($"79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus. {marker}", fault.Result.Line, StringComparison.Ordinal);
            Assert.Equal("r565", fault.Result.LineForm);
            Assert.All(fault.Result.Records, r => Assert.True(r.Sequence > 0));
            Assert.Equal("active", (await client.GetFaultAsync(faultId, Node)).State);
        }

        var cleared = await client.GetFaultAsync(faultId, Node);
        Assert.Equal("cleared", cleared.State);
        Assert.NotNull(cleared.EndedAt);
    }

    [Fact]
    public async Task InjectSxidAsync_BadLink_ThrowsTheProblemDetails()
    {
        using var client = FaultInjectionClient.FromEnvironment();

        var problem = await Assert.ThrowsAsync<FaultInjectionApiException>(() => client.InjectSxidAsync(Node, 12028, nvswitch: 0, link: 100));

        Assert.Equal(400, problem.Status);
        Assert.Contains("link", problem.Errors.Keys);
    }

    [Fact]
    public void Package_RestoredFromTheFeed_IsTheProductVersionWithDocsReadmeAndLicense()
    {
        var directory = PackageDirectory;

        // The client these tests run is the packed one: the very bytes of the package's lib/net10.0 assembly.
        Assert.Equal(
            Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, "lib", "net10.0", "FaultInjection.Client.dll")))),
            Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(typeof(FaultInjectionClient).Assembly.Location))));

        // IntelliSense: the XML documentation beside the assembly, with the calls documented.
        var docs = XDocument.Load(Path.Combine(directory, "lib", "net10.0", "FaultInjection.Client.xml"));
        var members = docs.Descendants("member").Select(m => (string)m.Attribute("name")!).ToList();
        Assert.Contains(members, m => m.StartsWith("M:FaultInjection.Client.FaultInjectionClient.InjectXidAsync(", StringComparison.Ordinal));
        Assert.Contains("P:FaultInjection.Client.Faults.Fault.Line", members);

        var nuspec = XDocument.Load(Path.Combine(directory, "faultinjection.client.nuspec")).Root!;
        var ns = nuspec.Name.Namespace;
        var metadata = nuspec.Element(ns + "metadata")!;
        Assert.Equal(ExpectedVersion, (string?)metadata.Element(ns + "version"));
        Assert.NotEqual("Package Description", (string?)metadata.Element(ns + "description"));
        Assert.Contains("FaultApi", (string?)metadata.Element(ns + "description"), StringComparison.Ordinal);
        Assert.Equal("expression", (string?)metadata.Element(ns + "license")?.Attribute("type"));
        Assert.Equal("README.md", (string?)metadata.Element(ns + "readme"));
        Assert.Contains("FaultInjectionClient.FromEnvironment()", File.ReadAllText(Path.Combine(directory, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void SymbolPackage_BesideThePackage_HoldsThePortablePdb()
    {
        var feed = Environment.GetEnvironmentVariable("FAULT_INJECTION_PACKAGES") ?? throw new InvalidOperationException("FAULT_INJECTION_PACKAGES (the packed feed) is not set");

        using var symbols = ZipFile.OpenRead(Path.Combine(feed, $"FaultInjection.Client.{ExpectedVersion}.snupkg"));

        Assert.Contains(symbols.Entries, e => e.FullName == "lib/net10.0/FaultInjection.Client.pdb");
    }
}
