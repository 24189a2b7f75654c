using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Validation;

/// <summary>
/// Every input is checked at the API's edge (FaultApi.Validation.ApiInputRules), the same way on every route: a bad
/// field is a 400 problem whose <c>errors</c> map names it, never a .NET type name, never the refused bytes; a body
/// that is not JSON is 415 "Unsupported Media Type"; nothing reaches an agent.
/// </summary>
public sealed class ApiInputRulesTests : IAsyncLifetime
{
    private static readonly string Hundred = new('a', 100_000);
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public static TheoryData<string, string, string, string> BadBodies => new()
    {
        // route, JSON body, field named in errors, what the case is
        { "xid-79", """{"node_name": "gpu-node-001\u001b[31m"}""", "node_name", "ESC in a node name" },
        { "xid-79", """{"node_name": "gpu\u0000node"}""", "node_name", "NUL in a node name" },
        { "xid-79", """{"node_name": "gpu-node-\u202e100"}""", "node_name", "an RTL mark in a node name" },
        { "xid-79", """{"node_name": "GPU-Node-001"}""", "node_name", "upper case is not a Kubernetes node name" },
        { "xid-79", $$"""{"node_name": "{{new string('a', 254)}}"}""", "node_name", "254 characters" },
        { "xid-79", """{"node_name": "gpu-node-001", "gpu_id": "zero"}""", "gpu_id", "a JSON type error" },
        { "xid-79", """{"node_name": "gpu-node-001", "gpu_id": "0"}""", "gpu_id", "a number in quotes" },
        { "xid-79", """{"node_name": "gpu-node-001", "gpu_id": 248}""", "gpu_id", "above the highest Device Minor" },
        { "xid-79", """{"node_name": "gpu-node-001", "gpu_id": -1}""", "gpu_id", "negative" },
        { "xid-79", """{"node_name": "gpu-node-001", "pid": 4194305}""", "pid", "above Linux's pid_max limit" },
        { "xid-79", """{"node_name": "gpu-node-001", "pid": 9223372036854775807}""", "pid", "2^63-1" },
        { "xid-79", """{"node_name": "gpu-node-001", "pid": 1e40}""", "pid", "not a whole number" },
        { "xid-79", """{"node_name": "gpu-node-001", "process_name": "python3-training"}""", "process_name", "longer than the kernel's comm" },
        { "xid-79", """{"node_name": "gpu-node-001", "message": "two\nlines"}""", "message", "a newline in the line" },
        { "xid-79", $$"""{"node_name": "gpu-node-001", "message": "{{new string('m', 512)}}"}""", "message", "longer than the driver's buffer" },
        { "xid-79", """{"node_name": "gpu-node-001", "duration": 0}""", "duration", "zero duration" },
        { "xid-79", """{"node_name": "gpu-node-001", "duration": 2592001}""", "duration", "more than 30 days" },
        { "xid-79", """{"node_name": "gpu-node-001", "fault_id": "a/b"}""", "fault_id", "a slash in a fault id" },
        { "xid-79", """{"node_name": "gpu-node-001", "dry_run": "yes"}""", "dry_run", "not a boolean" },
        { "xid-79", """{"node_name": "gpu-node-001", "gpuid": 3}""", "gpuid", "a misspelt field" },
        { "xid-79", """{}""", "node_name", "no target" },
        { "xid-79", """{"node_name": "gpu-node-001", "node_selector": "pool=even"}""", "node_name", "both targets" },
        { "xid-79", """{"node_name": "gpu-node-001", "count": 2}""", "count", "count with one node" },
        { "xid-79", """{"node_selector": "pool=even", "count": 0}""", "count", "zero nodes" },
        { "xid-79", $$"""{"node_selector": "pool={{new string('a', 1000)}}", "count": 2}""", "node_selector", "a 1 KB selector" },
        { "xid-79", """{"node_selector": "pool=(", "count": 1}""", "node_selector", "not a selector" },
        { "xid-79", """[]""", "body", "an array" },
        { "xid-79", """{"node_name": """, "body", "cut-off JSON" },
        { "xid-0", """{"node_name": "gpu-node-001"}""", "xid", "Xid 0" },
        { "xid-1000", """{"node_name": "gpu-node-001"}""", "xid", "Xid 1000" },
        { "xid-+79", """{"node_name": "gpu-node-001"}""", "xid", "a sign in the route" },
        { "sxid-12028", """{"node_name": "gpu-node-001"}""", "nvswitch", "nvswitch and link are required" },
        { "sxid-12028", """{"node_name": "gpu-node-001", "nvswitch": 2147483647, "link": 0}""", "nvswitch", "beyond the driver's 64 switches" },
        { "sxid-12028", """{"node_name": "gpu-node-001", "nvswitch": 0, "link": 100}""", "link", "beyond the driver's 100 links" },
        { "sxid-12028", """{"node_name": "gpu-node-001", "nvswitch": 0, "link": 3, "pci_bus_id": "0000:05:00"}""", "pci_bus_id", "a BDF without function" },
        { "sxid-100000", """{"node_name": "gpu-node-001", "nvswitch": 0, "link": 3}""", "sxid", "SXid above 5 digits" },
    };

    private static void AssertNothingHostile(string text)
    {
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Int32", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FaultApi.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InjectXidBody", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\0', text);
        Assert.DoesNotContain('\u202e', text);
        Assert.DoesNotContain("\\u001b", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\\u202e", text, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<JsonElement> BadRequestAsync(HttpResponseMessage response, string field)
    {
        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.BadRequest);
        var text = await response.Content.ReadAsStringAsync();
        AssertNothingHostile(text);
        Assert.True(text.Length < 4096, $"a {text.Length}-character answer");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), text);
        Assert.NotEmpty(messages.EnumerateArray());
        return problem;
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Inject_BadBody_Problem400NamingTheFieldNothingSentToAnAgent(string route, string body, string field, string reason)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await _cluster.Client.PostAsync(new Uri($"/api/v1/faults/gpu/inject/{route}", UriKind.Relative), content);

        await BadRequestAsync(response, field);
        Assert.True(_cluster.Agents.All(a => a.Service.WrittenLines == 0), reason);
    }

    [Fact]
    public async Task Inject_HundredKilobyteNodeName_ShortProblemThatDoesNotEchoIt()
    {
        using var response = await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = Hundred });

        var problem = await BadRequestAsync(response, "node_name");
        Assert.DoesNotContain("aaaaaaaaaa", problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Inject_BodyNotSentAsJson_Problem415UnsupportedMediaType(string? contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"node_name": "gpu-node-001"}"""));
        if (contentType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        using var response = await _cluster.Client.PostAsync(new Uri("/api/v1/faults/gpu/inject/xid-79", UriKind.Relative), content);

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Unsupported Media Type", problem.GetProperty("title").GetString());
        Assert.Contains("Content-Type: application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _cluster.Agent("gpu-node-001").Service.WrittenLines);
    }

    [Theory]
    [InlineData("/api/v1/faults?node=gpu%1Bnode", "node")]
    [InlineData("/api/v1/faults?active_only=yes", "active_only")]
    [InlineData("/api/v1/faults/a%2Fb", "fault_id")]
    [InlineData("/api/v1/faults/gpu-fault?node=Not_A_Node", "node")]
    [InlineData("/api/v1/gpu/nodes/gpu%E2%80%AEnode", "node")]
    [InlineData("/api/v1/gpu/nodes?refresh=please", "refresh")]
    [InlineData("/api/v1/gpu/processes?node=-bad-", "node")]
    [InlineData("/api/v1/bug-reports?node=..", "node")]
    [InlineData("/api/v1/bug-reports/gpu-node-001/..%2F..%2Fetc%2Fpasswd/status", "report_id")]
    [InlineData("/api/v1/audit?since=yesterday", "since")]
    [InlineData("/api/v1/audit?node=gpu%00node", "node")]
    public async Task Get_BadQueryOrRouteValue_Problem400NamingIt(string url, string field)
    {
        using var response = await _cluster.Client.GetAsync(new Uri(url, UriKind.Relative));

        await BadRequestAsync(response, field);
    }

    [Fact]
    public async Task Clear_ReasonWithControlCharacters_Problem400NothingCleared()
    {
        using var response = await _cluster.Client.DeleteAsync(new Uri("/api/v1/faults/some-fault?reason=done%0Aand%1B", UriKind.Relative));

        await BadRequestAsync(response, "reason");
    }

    [Fact]
    public async Task StartBugReport_HostileNodeName_Problem400()
    {
        using var response = await _cluster.Client.PostAsJsonAsync("/api/v1/bug-reports", new { node_name = "gpu-node-001\u202e" });

        await BadRequestAsync(response, "node_name");
    }

    [Fact]
    public async Task Inject_SelectorWithFaultIdTooLongForTheChosenNodes_Problem400()
    {
        using var response = await _cluster.Client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_selector = "pool=even", count = 1, fault_id = new string('f', 120) });

        await BadRequestAsync(response, "fault_id");
        Assert.Equal(0, _cluster.Agent("gpu-node-001").Service.WrittenLines);
    }

    [Fact]
    public async Task Inject_ValidEdgeValues_Accepted()
    {
        using var response = await _cluster.Client.PostAsJsonAsync(
            "/api/v1/faults/gpu/inject/xid-79",
            new { node_name = "gpu-node-001", gpu_id = 0, pid = 4_194_304, process_name = "123456789012345", duration = 2_592_000, message = new string('m', 511) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _cluster.Agent("gpu-node-001").Service.WrittenLines);
    }
}
