using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.EndToEnd;

/// <summary>
/// The bad-input campaign (issue 18): thousands of malformed and hostile requests (<see cref="BadInputCampaign"/>) to
/// every route of the real API process's OpenAPI document (Kubernetes routing through the fake API server, so drills are
/// live too) and to the real agent process's HTTP routes. Asserts: no 5xx; every 4xx is problem details; no answer
/// carries a .NET type name or the hostile bytes it was sent; nothing reached the kernel log (the simulated node's GPUs
/// and NVSwitches sit in a PCI domain of this run, so any line of it would be ours) or the registry; both processes
/// healthy after.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class BadInputCampaignTests : IAsyncLifetime
{
    private const string Node = "gpu-node-001";
    private const string CallerToken = "campaign-caller-0123456789abcdef";
    private const string AgentToken = "campaign-agent-0123456789abcdef";
    private readonly TestDirectory _directory = new();
    private readonly string _domain = Random.Shared.Next(0x1000, 0xffff).ToString("x4", CultureInfo.InvariantCulture);
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the campaign: dmesg afterwards holds only the last ~1,370 records of every writer
    private FakeKubeApiServer _kube = null!;
    private TargetNamespaceProcess _target = null!;
    private RealAgentProcess _agent = null!;
    private FaultApiProcess _api = null!;

    public async Task InitializeAsync()
    {
        _kube = await FakeKubeApiServer.StartAsync();
        _target = new TargetNamespaceProcess();
        var address = LoopbackAddresses.Allocate(1)[0];
        var port = LoopbackAddresses.FreePort(address);
        var agentTokens = _directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(agentTokens, $"fault-api:{AgentToken}\n");
        var state = Directory.CreateDirectory(_directory.Combine("state")).FullName;
        _agent = await RealAgentProcess.StartAsync(Node, address, port, ProcTreeInOwnDomain(), _target.Pid, state, agentTokens);
        _kube.Upsert(FakeKubeApiServer.Node(Node, new Dictionary<string, string> { ["nvidia.com/gpu.present"] = "true", ["pool"] = "a" }));
        _kube.Upsert(FakeKubeApiServer.AgentPod("gpu-fault-injector-kernel-campaign", Node, address.ToString()));

        var callerTokens = _directory.Combine("caller-tokens");
        var agentToken = _directory.Combine("agent-token");
        await File.WriteAllTextAsync(callerTokens, $"campaign:{CallerToken}\n");
        await File.WriteAllTextAsync(agentToken, $"{AgentToken}\n");
        _api = await FaultApiProcess.StartAsync(new Dictionary<string, string>
        {
            ["Routing:Mode"] = "Kubernetes",
            ["Routing:Kubeconfig"] = _kube.WriteKubeconfig(_directory.Path),
            ["Routing:AgentGrpcPort"] = port.ToString(CultureInfo.InvariantCulture),
            ["Auth:TokenFile"] = callerTokens,
            ["Agents:TokenFile"] = agentToken,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        using var client = Client(_api.Address, CallerToken);
        await Eventually.TrueAsync(
            async () => (await client.GetStringAsync(new Uri("/api/v1/nodes", UriKind.Relative))).Contains($"\"{Node}\"", StringComparison.Ordinal),
            "the API to route to the agent");
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _agent.DisposeAsync();
        await _kube.DisposeAsync();
        _target.Dispose();
        _directory.Dispose();
        _kernelLog.Dispose();
    }

    /// <summary>The simulated node gpu-node-001, moved to this run's PCI domain.</summary>
    private string ProcTreeInOwnDomain()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "SimulatedNodes", Node, "proc");
        var target = _directory.Combine("proc");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file).Replace("0000:", $"{_domain}:", StringComparison.Ordinal);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.WriteAllText(Path.Combine(target, relative), File.ReadAllText(file).Replace("0000:", $"{_domain}:", StringComparison.Ordinal));
        }

        return target;
    }

    private static HttpClient Client(Uri address, string token)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<string?> SendAsync(HttpClient client, CampaignRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.PathAndQuery);
        if (request.Body is not null)
        {
            var body = Encoding.UTF8.GetBytes(request.Body);
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = request.ContentType is null ? null : MediaTypeHeaderValue.Parse(request.ContentType);

            // A body over the API's 64 KiB cap is refused with 413 before it is read, and the connection is closed with
            // the rest unread: a client still writing it then gets a broken pipe instead of the answer (CI, under load).
            // A client sending a large body asks first, as HTTP/1.1 provides (Expect: 100-continue), and gets the 413.
            if (body.Length > 64 * 1024)
            {
                message.Headers.ExpectContinue = true;
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(message);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        if (status >= 500)
        {
            return $"{request.Case}: {status} {Shorten(text)}";
        }

        if (text.Length > 16_384)
        {
            return $"{request.Case}: a {text.Length}-character answer";
        }

        if (text.Contains("System.", StringComparison.Ordinal) || text.Contains("Int32", StringComparison.Ordinal) || text.Contains("Int64", StringComparison.Ordinal))
        {
            return $"{request.Case}: a .NET type name in {Shorten(text)}";
        }

        if (text.IndexOfAny(['\u001b', '\0', '\u202e']) >= 0 || ContainsEscaped(text, "\\u001b") || ContainsEscaped(text, "\\u0000") || ContainsEscaped(text, "\\u202e"))
        {
            return $"{request.Case}: the hostile bytes echoed in {Shorten(text)}";
        }

        // Kestrel's own answers, before any route runs: 414/431 to an over-long request line or headers, an empty 400 to a
        // NUL in the path (it refuses to decode one).
        var kestrel = status is (int)HttpStatusCode.RequestUriTooLong or (int)HttpStatusCode.RequestHeaderFieldsTooLarge
            || (status == 400 && text.Length == 0 && request.PathAndQuery.Split('?')[0].Contains("%00", StringComparison.Ordinal));
        if (status >= 400 && !kestrel)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return $"{request.Case}: {status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}";
            }

            using var problem = JsonDocument.Parse(text);
            if (!problem.RootElement.TryGetProperty("status", out var s) || s.GetInt32() != status || !problem.RootElement.TryGetProperty("title", out _))
            {
                return $"{request.Case}: {status} problem without status/title: {Shorten(text)}";
            }
        }

        return null;
    }

    private static bool ContainsEscaped(string text, string escape) => text.Contains(escape, StringComparison.OrdinalIgnoreCase);

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";

    private IReadOnlyList<string> KernelLinesOfThisRun() => _kernelLog.SnapshotContaining($"PCI:{_domain}:");

    [RootFact]
    public async Task Campaign_MalformedAndHostileRequestsToEveryRoute_NoServerErrorProblemDetailsNothingWritten()
    {
        using var api = Client(_api.Address, CallerToken);
        using var agent = Client(_agent.HttpAddress, AgentToken);
        using var openApi = JsonDocument.Parse(await api.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var apiRequests = BadInputCampaign.ForOpenApi(openApi.RootElement).ToList();
        var agentRequests = BadInputCampaign.ForAgentHttp().ToList();
        Assert.True(apiRequests.Select(r => r.Case.Split(':')[0]).Distinct().Count() >= 20, "every operation of the OpenAPI document that takes input");

        var failures = new List<string>();
        foreach (var (client, requests) in new[] { (api, apiRequests), (agent, agentRequests) })
        {
            foreach (var chunk in requests.Chunk(8))
            {
                failures.AddRange((await Task.WhenAll(chunk.Select(r => SendAsync(client, r)))).OfType<string>());
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {apiRequests.Count + agentRequests.Count} requests:\n" + string.Join('\n', failures.Take(30)));
        Assert.Empty(KernelLinesOfThisRun());
        var faults = JsonDocument.Parse(await agent.GetStringAsync(new Uri("/faults", UriKind.Relative))).RootElement.GetProperty("faults");
        Assert.Empty(faults.EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(new Uri("/ready", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);

        // And the campaign could have seen a write: a valid injection on the same node lands in this run's domain.
        using var valid = new StringContent("""{"node_name": "gpu-node-001", "gpu_id": 0, "fault_id": "campaign-control"}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(new Uri("/api/v1/faults/gpu/inject/xid-79", UriKind.Relative), valid)).StatusCode);
        Assert.Single(KernelLinesOfThisRun(), l => l.Contains("NVRM: Xid (PCI:", StringComparison.Ordinal)); // beside the driver's preamble
    }
}
