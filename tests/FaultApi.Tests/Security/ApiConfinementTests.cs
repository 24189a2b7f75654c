using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Deploy;
using FaultApi.Tests.EndToEnd;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Security;

/// <summary>
/// The README's claim "The API runs as non-root on a read-only root filesystem with every capability dropped", on the real
/// process: the API launched as the manifest's user with every mount read-only and no capability (<see cref="ConfinedApiLauncher"/>),
/// in Kubernetes mode against the fake API server, in front of a real agent, does its whole job — routing, an injection,
/// the listing, the emergency stop and its release (state in a ConfigMap) — without writing a file.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class ApiConfinementTests
{
    private const string NodeName = "gpu-node-confined";
    private const string CallerToken = "confined-caller-token-0123456789";

    [RootFact]
    public async Task Api_AsTheManifestsUserOnAReadOnlyRootWithoutCapabilities_InjectsListsStopsAndReleases()
    {
        var uid = DeployManifests.Load().ApiDeployment.Spec.Template.Spec.SecurityContext.RunAsUser!.Value;
        using var directory = new TestDirectory();
        using var target = new TargetNamespaceProcess();
        await using var kube = await FakeKubeApiServer.StartAsync();

        var agentTokens = directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(agentTokens, $"fault-api:{ApiApplicationFactory.AgentToken}\n");
        var address = LoopbackAddresses.Allocate(1)[0];
        var port = LoopbackAddresses.FreePort(address);
        await using var agent = await RealAgentProcess.StartAsync(
            NodeName, address, port, Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8"), target.Pid,
            Directory.CreateDirectory(directory.Combine("agent-state")).FullName, agentTokens);
        kube.Upsert(FakeKubeApiServer.Node(NodeName));
        kube.Upsert(FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-conf1", NodeName, address.ToString()));

        // What the API reads, as its Secrets and projected token would give it: files it may read, in directories it may enter.
        var api = Directory.CreateDirectory(directory.Combine("api")).FullName;
        var callerTokens = Path.Combine(api, "caller-tokens");
        await File.WriteAllTextAsync(callerTokens, $"sre:{CallerToken}\n");
        var agentCredential = Path.Combine(api, "agent-credential");
        await File.WriteAllTextAsync(agentCredential, $"{ApiApplicationFactory.AgentToken}\n");
        var kubeconfig = kube.WriteKubeconfig(api);
        var assembly = ConfinedApiLauncher.CopyApiFor(FaultApiProcess.ApiAssembly, Directory.CreateDirectory(Path.Combine(api, "app")).FullName);
        ConfinedApiLauncher.OpenToEveryone(directory.Path);

        await using var process = await FaultApiProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Routing:Mode"] = "Kubernetes",
                ["Routing:Kubeconfig"] = kubeconfig,
                ["Routing:AgentGrpcPort"] = port.ToString(CultureInfo.InvariantCulture),
                ["Auth:TokenFile"] = callerTokens,
                ["Agents:TokenFile"] = agentCredential,
            },
            ConfinedApiLauncher.As(uid),
            assembly);

        // The process that answers is the API itself, confined as the manifest says.
        var status = await File.ReadAllLinesAsync($"/proc/{process.Process.Pid}/status");
        string Field(string name) => status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();
        Assert.Contains("FaultApi.dll", await File.ReadAllTextAsync($"/proc/{process.Process.Pid}/cmdline"), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Repeat(uid.ToString(CultureInfo.InvariantCulture), 4), Field("Uid").Split('\t', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(Enumerable.Repeat(uid.ToString(CultureInfo.InvariantCulture), 4), Field("Gid").Split('\t', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", Field("Groups"));
        foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
        {
            Assert.True(Field(set) == "0000000000000000", $"{set} {Field(set)}");
        }

        Assert.Equal("1", Field("NoNewPrivs"));
        var writable = (await File.ReadAllLinesAsync($"/proc/{process.Process.Pid}/mountinfo"))
            .Select(l => l.Split(' '))
            .Where(f => f[5].Split(',').Contains("rw") && !IsKernelFileSystem(f[4]))
            .Select(f => f[4])
            .ToList();
        Assert.True(writable.Count == 0, "writable mounts: " + string.Join(", ", writable));

        using var http = process.CreateClient(CallerToken);
        await Eventually.TrueAsync(
            async () => (await http.GetStringAsync(new Uri("/api/v1/nodes", UriKind.Relative))).Contains(NodeName, StringComparison.Ordinal),
            "the agent pod in the confined API's routing cache");

        using var injected = await http.PostAsJsonAsync(new Uri("/api/v1/faults/gpu/inject/xid-79", UriKind.Relative), new { node_name = NodeName, gpu_id = 0 });
        Assert.True(injected.StatusCode == HttpStatusCode.OK, await injected.Content.ReadAsStringAsync());
        var faultId = (string)JsonNode.Parse(await injected.Content.ReadAsStringAsync())!["fault_id"]!;
        var listed = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/v1/faults?node={NodeName}&active_only=true", UriKind.Relative)))!;
        Assert.Contains(faultId, listed.ToJsonString(), StringComparison.Ordinal);

        using var stopped = await http.PostAsJsonAsync(new Uri("/api/v1/stop", UriKind.Relative), new { reason = "confined drill" });
        Assert.True(stopped.StatusCode == HttpStatusCode.OK, await stopped.Content.ReadAsStringAsync());
        using var refused = await http.PostAsJsonAsync(new Uri("/api/v1/faults/gpu/inject/xid-79", UriKind.Relative), new { node_name = NodeName, gpu_id = 1 });
        Assert.Equal(HttpStatusCode.Locked, refused.StatusCode);
        using var released = await http.DeleteAsync(new Uri("/api/v1/stop?reason=all+clear", UriKind.Relative));
        Assert.True(released.StatusCode == HttpStatusCode.OK, await released.Content.ReadAsStringAsync());
        Assert.False((bool)JsonNode.Parse(await http.GetStringAsync(new Uri("/api/v1/stop", UriKind.Relative)))!["engaged"]!);

        Assert.False(process.Process.HasExited);
        Assert.DoesNotContain("Read-only file system", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Permission denied", process.Output, StringComparison.Ordinal);
    }

    // /proc, /sys and /dev stay as the runtime mounts them in a container too (and their submounts: cgroups, mqueue, ...).
    private static bool IsKernelFileSystem(string point) =>
        point is "/proc" or "/sys" or "/dev" || point.StartsWith("/proc/", StringComparison.Ordinal)
        || point.StartsWith("/sys/", StringComparison.Ordinal) || point.StartsWith("/dev/", StringComparison.Ordinal);
}
