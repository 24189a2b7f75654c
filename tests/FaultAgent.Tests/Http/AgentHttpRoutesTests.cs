using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultAgent.Tests.Http;

/// <summary>
/// The seed's HTTP/1.1 JSON routes over real Kestrel on loopback, with the real parts (the machine's /dev/kmsg entered
/// through a mount namespace the test owns); requests carry a process name unique to the run to find their lines.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class AgentHttpRoutesTests : IAsyncLifetime
{
    private readonly string _marker = "h" + Guid.NewGuid().ToString("N")[..12];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agent writes: dmesg afterwards may have lost its records to other writers
    private TargetNamespaceProcess _target = null!;
    private AgentApplicationFactory _factory = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _target = new TargetNamespaceProcess();
        _factory = new AgentApplicationFactory(_target.Pid);
        _http = _factory.CreateHttpClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
        _target.Dispose();
        _kernelLog.Dispose();
    }

    private IReadOnlyList<string> KernelLines() => _kernelLog.SnapshotContaining(_marker);

    [RootFact]
    public async Task Health_WithoutToken_Healthy()
    {
        using var anonymous = _factory.CreateHttpClient(token: null);

        using var response = await anonymous.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(1, 1), response.Version);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("node-a", body.GetProperty("node_name").GetString());
    }

    [RootFact]
    public async Task InjectXid_SeedBody_InjectsAndListsSnakeCase()
    {
        using var response = await _http.PostAsync(
            new Uri("/inject-xid", UriKind.Relative),
            Json($$"""{"fault_id": "test-001", "xid_type": 79, "gpu_id": 0, "duration": 300, "pid": 4242, "process_name": "{{_marker}}"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("injected", body.GetProperty("status").GetString());
        Assert.Equal("test-001", body.GetProperty("fault_id").GetString());
        var fault = body.GetProperty("fault");
        Assert.Equal("active", fault.GetProperty("state").GetString());
        Assert.Equal("gpu_xid_79", fault.GetProperty("fault_type").GetString());
        Assert.Equal(AgentApplicationFactory.ApiTokenName, fault.GetProperty("caller").GetString());
        Assert.Equal(
            fault.GetProperty("injected_at").GetDateTimeOffset() + TimeSpan.FromSeconds(300),
            fault.GetProperty("expires_at").GetDateTimeOffset());
        var records = fault.GetProperty("records").EnumerateArray().ToList();
        var main = records.Single(r => r.GetProperty("text").GetString()!.Contains(_marker, StringComparison.Ordinal));
        Assert.Equal(main.GetProperty("text").GetString(), Assert.Single(KernelLines()));
        Assert.All(records, r => Assert.True(r.GetProperty("sequence").GetUInt64() > 0));
        Assert.Equal("r565", fault.GetProperty("line_form").GetString());
        Assert.Equal("535.161.08", fault.GetProperty("driver_version").GetString());

        var list = await _http.GetFromJsonAsync<JsonElement>(new Uri("/faults?active_only=true", UriKind.Relative));
        Assert.Equal("test-001", list.GetProperty("faults")[0].GetProperty("fault_id").GetString());
    }

    [RootFact]
    public async Task InjectXid_IdempotencyKeyHeaderRetry_ReplaysOnce()
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/inject-xid", UriKind.Relative)) { Content = Json($$"""{"xid_type": 79, "gpu_id": 1, "pid": 4242, "process_name": "{{_marker}}"}""") };
            request.Headers.Add("Idempotency-Key", "http-retry");
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("injected", body.GetProperty("status").GetString()); // as on the API: a replay is told by replayed
            Assert.Equal(attempt == 1, body.GetProperty("replayed").GetBoolean());
        }

        Assert.Single(KernelLines());
    }

    [RootFact]
    public async Task InjectXid_SameFaultIdDifferentRequest_Problem409AndWritesOnce()
    {
        using var first = await _http.PostAsync(new Uri("/inject-xid", UriKind.Relative), Json($$"""{"fault_id": "dup", "xid_type": 79, "gpu_id": 0, "pid": 4242, "process_name": "{{_marker}}"}"""));
        first.EnsureSuccessStatusCode();

        using var second = await _http.PostAsync(new Uri("/inject-xid", UriKind.Relative), Json($$"""{"fault_id": "dup", "xid_type": 79, "gpu_id": 1, "pid": 4242, "process_name": "{{_marker}}"}"""));

        _ = await ProblemResponse.ReadAsync(second, HttpStatusCode.Conflict);
        Assert.Single(KernelLines());
    }

    [RootFact]
    public async Task GetFault_InvalidId_Problem400WithFaultIdError()
    {
        using var response = await _http.GetAsync(new Uri("/faults/bad%20id", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("fault_id", out _));
    }

    [RootFact]
    public async Task InjectXid_DryRun_WritesNothing()
    {
        using var response = await _http.PostAsync(new Uri("/inject-xid", UriKind.Relative), Json($$"""{"xid_type": 79, "gpu_id": 0, "dry_run": true, "pid": 4242, "process_name": "{{_marker}}"}"""));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("dry_run", body.GetProperty("status").GetString());
        Assert.Equal(0UL, body.GetProperty("fault").GetProperty("records")[0].GetProperty("sequence").GetUInt64());
        Assert.Empty(KernelLines());
    }

    [RootFact]
    public async Task InjectXid_BadFields_ProblemDetailsWithFieldErrors()
    {
        using var response = await _http.PostAsync(
            new Uri("/inject-xid", UriKind.Relative),
            Json($$"""{"fault_id": "no spaces allowed", "xid_type": 0, "gpu_id": 0, "duration": -1, "message": "a\u001bb", "pid": 4242, "process_name": "{{_marker}}"}"""));

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["duration", "fault_id", "message", "xid_type"], fields);
        Assert.Empty(KernelLines());
    }

    [RootFact]
    public async Task InjectXid_MissingRequiredFields_ProblemDetails()
    {
        using var response = await _http.PostAsync(new Uri("/inject-xid", UriKind.Relative), Json("{}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("xid_type", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("gpu_id", out _));
    }

    [RootFact]
    public async Task InjectXid_MalformedJson_ProblemDetails400()
    {
        using var response = await _http.PostAsync(new Uri("/inject-xid", UriKind.Relative), Json("{not json"));

        _ = await ProblemResponse.ReadAsync(response, HttpStatusCode.BadRequest);
    }

    [RootFact]
    public async Task InjectXid_UnknownGpu_Problem404()
    {
        using var response = await _http.PostAsync(new Uri("/inject-xid", UriKind.Relative), Json($$"""{"xid_type": 79, "gpu_id": 9, "pid": 4242, "process_name": "{{_marker}}"}"""));

        _ = await ProblemResponse.ReadAsync(response, HttpStatusCode.NotFound);
    }

    [RootFact]
    public async Task InjectXid_WithoutToken_Problem401AndNothingWritten()
    {
        using var anonymous = _factory.CreateHttpClient(token: null);

        using var response = await anonymous.PostAsync(new Uri("/inject-xid", UriKind.Relative), Json($$"""{"xid_type": 79, "gpu_id": 0, "pid": 4242, "process_name": "{{_marker}}"}"""));

        _ = await ProblemResponse.ReadAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty(KernelLines());
    }

    [RootFact]
    public async Task GetAndDeleteFault_Lifecycle_ClearsAndKeepsRecord()
    {
        using var injected = await _http.PostAsync(new Uri("/inject-xid", UriKind.Relative), Json($$"""{"fault_id": "f1", "xid_type": 13, "gpu_id": 1, "pid": 4242, "process_name": "{{_marker}}"}"""));
        injected.EnsureSuccessStatusCode();

        using var deleted = await _http.DeleteAsync(new Uri("/faults/f1?reason=done", UriKind.Relative));
        var cleared = await deleted.Content.ReadFromJsonAsync<JsonElement>();
        var got = await _http.GetFromJsonAsync<JsonElement>(new Uri("/faults/f1", UriKind.Relative));

        Assert.Equal("cleared", cleared.GetProperty("state").GetString());
        Assert.Equal("cleared", got.GetProperty("state").GetString());
        Assert.Equal($"cleared by {AgentApplicationFactory.ApiTokenName}: done", got.GetProperty("ended_reason").GetString());
        using var missing = await _http.GetAsync(new Uri("/faults/nope", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
    public static TheoryData<string, string> MalformedBodies => new()
    {
        // body, the field the problem names
        { """{"xid_type": "79", "gpu_id": 0}""", "xid_type" },
        { """{"xid_type": 79, "gpu_id": 1.5}""", "gpu_id" },
        { """{"xid_type": 79, "gpu_id": 0, "pid": 1e30}""", "pid" },
        { """{"xid_type": 79, "gpu_id": 0, "dry_run": "no"}""", "dry_run" },
        { """{"xid_type": 79, "gpu": 0}""", "gpu" },
        { """{"xid_type": 79, "gpu_id": 0, "comment": "\u001b[2J"}""", "comment" },
        { """{"xid_type": 79, """, "body" },
        { """[79, 0]""", "body" },
        { """{"gpu_id": 0}""", "xid_type" },
        // A field given twice: refused, never the last (or first) value silently taken.
        { """{"xid_type": 13, "xid_type": 79, "gpu_id": 0, "pid": 4242}""", "xid_type" },
        { """{"xid_type": 79, "gpu_id": 0, "dry_run": true, "dry_run": false, "pid": 4242}""", "dry_run" },
    };

    [RootTheory]
    [MemberData(nameof(MalformedBodies))]
    public async Task InjectXid_MalformedBody_Problem400NamingTheFieldNoTypeNameNothingWritten(string body, string field)
    {
        using var response = await _http.PostAsync(new Uri("/inject-xid", UriKind.Relative), Json(body.Replace("}", $$""", "process_name": "{{_marker}}"}""", StringComparison.Ordinal)));

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.BadRequest);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), text);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FaultAgent.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u001b", text, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(KernelLines());
        Assert.Empty((await _http.GetFromJsonAsync<JsonElement>(new Uri("/faults", UriKind.Relative))).GetProperty("faults").EnumerateArray());
    }

    [RootTheory]
    [InlineData(null)]
    [InlineData("text/plain")]
    public async Task InjectXid_BodyNotSentAsJson_Problem415UnsupportedMediaType(string? contentType)
    {
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($$"""{"xid_type": 79, "gpu_id": 0, "process_name": "{{_marker}}"}"""));
        if (contentType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        using var response = await _http.PostAsync(new Uri("/inject-xid", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unsupported Media Type", problem.GetProperty("title").GetString());
        Assert.Contains("Content-Type: application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(KernelLines());
    }

    [RootTheory]
    [InlineData("/faults?active_only=maybe", "active_only")]
    [InlineData("/faults/bad%0Aid", "fault_id")]
    public async Task Get_BadQueryOrId_Problem400NamingIt(string url, string field)
    {
        using var response = await _http.GetAsync(new Uri(url, UriKind.Relative));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task ClearFault_XidFault_SameFieldNamesAsTheApi()
    {
        using var injected = await _http.PostAsync(new Uri("/inject-xid", UriKind.Relative), Json($$"""{"fault_id": "names", "xid_type": 79, "gpu_id": 0, "pid": 4242, "process_name": "{{_marker}}"}"""));
        injected.EnsureSuccessStatusCode();

        var cleared = await (await _http.DeleteAsync(new Uri("/faults/names?reason=drill%20done", UriKind.Relative))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("cleared", cleared.GetProperty("state").GetString());
        Assert.Equal(AgentApplicationFactory.ApiTokenName, cleared.GetProperty("ended_by").GetString());
        Assert.Equal("node-a/gpu0", cleared.GetProperty("target").GetString());
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("nvswitch").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("link").ValueKind);
        Assert.False(cleared.TryGetProperty("nv_switch", out _));
    }
}
