using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.BugReports;

/// <summary>
/// The <c>/api/v1/bug-reports</c> routes and <c>collect_bug_report</c> through real Kestrel and the fake Kubernetes API to
/// REAL agents running stand-in nvidia-bug-report.sh scripts in a stand-in host namespace; one agent is down.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class BugReportRoutesRealAgentTests(RealGpuCluster cluster) : IClassFixture<RealGpuCluster>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private readonly HttpClient _client = cluster.Client;

    private async Task<JsonElement> StatusAsync(string node, string id) =>
        await _client.GetFromJsonAsync<JsonElement>($"/api/v1/bug-reports/{node}/{id}/status");

    private async Task<JsonElement> WaitEndedAsync(string node, string id)
    {
        JsonElement report = default;
        await Eventually.TrueAsync(
            async () =>
            {
                report = await StatusAsync(node, id);
                return report.GetProperty("status").GetString() != "running";
            },
            $"bug report {id} on {node} to end",
            Generous);
        return report;
    }

    [RootFact]
    public async Task Start_WhileOneRuns_Returns202WithTheRunningOne_ListShowsProgress_DownloadRefusedUntilDone()
    {
        var node = RealGpuCluster.A100Node;

        using var first = await _client.PostAsJsonAsync("/api/v1/bug-reports", new { node_name = node });
        var started = await first.Content.ReadFromJsonAsync<JsonElement>();
        var id = started.GetProperty("id").GetString()!;
        using var second = await _client.PostAsJsonAsync("/api/v1/bug-reports", new { node_name = node });
        var again = await second.Content.ReadFromJsonAsync<JsonElement>();
        JsonElement listed = default;
        await Eventually.TrueAsync(
            async () =>
            {
                listed = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/bug-reports?node={node}");
                return listed.GetProperty("reports").EnumerateArray().Any(r => r.GetProperty("id").GetString() == id && r.GetProperty("bytes_written").GetInt64() > 0);
            },
            "progress of the running report",
            Generous);
        using var early = await _client.GetAsync(new Uri($"/api/v1/bug-reports/{node}/{id}", UriKind.Relative));
        cluster.GatedBugReportTool.Release();
        var done = await WaitEndedAsync(node, id);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal($"/api/v1/bug-reports/{node}/{id}/status", first.Headers.Location?.OriginalString);
        Assert.Equal("running", started.GetProperty("status").GetString());
        Assert.False(started.GetProperty("already_running").GetBoolean());
        Assert.True(started.TryGetProperty("started_at", out _));
        Assert.Equal("fault-api/alice", started.GetProperty("caller").GetString());
        Assert.Equal("api", started.GetProperty("trigger").GetString());
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.True(again.GetProperty("already_running").GetBoolean());
        Assert.Equal(id, again.GetProperty("id").GetString());
        var running = listed.GetProperty("reports").EnumerateArray().First(r => r.GetProperty("id").GetString() == id);
        Assert.Equal("running", running.GetProperty("status").GetString());
        Assert.True(running.GetProperty("elapsed_seconds").GetDouble() >= 0);
        Assert.False(running.TryGetProperty("already_running", out _));
        Assert.Equal(JsonValueKind.Null, running.GetProperty("download_url").ValueKind);
        _ = await ProblemResponse.ReadAsync(early, HttpStatusCode.BadRequest);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal($"/api/v1/bug-reports/{node}/{id}", done.GetProperty("download_url").GetString());
        Assert.Equal(done.GetProperty("size_bytes").GetInt64(), done.GetProperty("bytes_written").GetInt64());
    }

    [RootFact]
    public async Task Download_MultiMebibyteArchive_StreamedFromTheAgent_BytesAndSha256MatchTheFile()
    {
        var node = RealGpuCluster.H200Node;
        using var start = await _client.PostAsJsonAsync("/api/v1/bug-reports", new { node_name = node });
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var report = await WaitEndedAsync(node, id);

        using var response = await _client.GetAsync(new Uri($"/api/v1/bug-reports/{node}/{id}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long received = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            received += read;
        }

        var file = Path.Combine(cluster.StateDirectories[node], "bug-reports", id, "nvidia-bug-report.log.gz");
        Assert.Equal("succeeded", report.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/gzip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"{node}_{id}_nvidia-bug-report.log.gz", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.True(received > RealGpuCluster.ArchiveRandomBytes, $"{received} bytes");
        Assert.Equal(new FileInfo(file).Length, received);
        Assert.Equal(report.GetProperty("size_bytes").GetInt64(), response.Content.Headers.ContentLength);
        var hex = Convert.ToHexStringLower(sha.GetHashAndReset());
        Assert.Equal(report.GetProperty("sha256").GetString(), hex);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))), hex);
        Assert.Equal(hex, Assert.Single(response.Headers.GetValues("X-Checksum-Sha256")));
    }

    [RootFact]
    public async Task List_AllNodes_OneAgentDown_ReportedInErrorsNextToTheResults()
    {
        var body = await _client.GetFromJsonAsync<JsonElement>("/api/v1/bug-reports");

        Assert.Equal([RealGpuCluster.H200Node, RealGpuCluster.A100Node], body.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()).Order(StringComparer.Ordinal));
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(RealGpuCluster.DownNode, error.GetProperty("node_name").GetString());
        Assert.Equal(503, error.GetProperty("status").GetInt32());
        Assert.Equal(body.GetProperty("count").GetInt32(), body.GetProperty("reports").GetArrayLength());
    }

    [RootTheory]
    [InlineData("POST", "{}", HttpStatusCode.BadRequest)]
    [InlineData("POST", "{\"node_name\":\"gpu-node-999\"}", HttpStatusCode.NotFound)]
    [InlineData("POST", "{\"node_name\":\"gpu-node-004\"}", HttpStatusCode.ServiceUnavailable)]
    [InlineData("POST", "{\"node_name\":\"gpu-node-003\"}", HttpStatusCode.ServiceUnavailable)]
    [InlineData("GET", "/api/v1/bug-reports/gpu-node-001/20260101T000000Z-00000000/status", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/v1/bug-reports/gpu-node-001/20260101T000000Z-00000000", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/v1/bug-reports/gpu-node-001/..bad/status", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/api/v1/bug-reports/gpu-node-999/x/status", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/v1/bug-reports?node=gpu-node-999", HttpStatusCode.NotFound)]
    public async Task BadRequests_Problems(string method, string pathOrBody, HttpStatusCode status)
    {
        using var request = method == "POST"
            ? new HttpRequestMessage(HttpMethod.Post, "/api/v1/bug-reports") { Content = new StringContent(pathOrBody, System.Text.Encoding.UTF8, "application/json") }
            : new HttpRequestMessage(HttpMethod.Get, pathOrBody);

        using var response = await _client.SendAsync(request);

        _ = await ProblemResponse.ReadAsync(response, status);
    }

    [RootFact]
    public async Task BugReportRoutes_WithoutToken_401()
    {
        using var anonymous = cluster.AnonymousClient();

        using var response = await anonymous.PostAsJsonAsync("/api/v1/bug-reports", new { node_name = RealGpuCluster.H200Node });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [RootFact]
    public async Task InjectXid_CollectBugReport_StartsOneTriggeredByTheFault_DryRunStartsNone()
    {
        var node = RealGpuCluster.H200Node;
        var marker = "collect" + Guid.NewGuid().ToString("N")[..10];

        using var dry = await _client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = node, gpu_id = 0, message = marker, dry_run = true, collect_bug_report = true });
        using var injected = await _client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = node, gpu_id = 0, message = marker, fault_id = marker, collect_bug_report = true });
        var dryBody = await dry.Content.ReadFromJsonAsync<JsonElement>();
        var fault = await injected.Content.ReadFromJsonAsync<JsonElement>();
        var reportId = fault.TryGetProperty("bug_report_id", out var idProperty) ? idProperty.GetString() : null;
        Assert.True(reportId is not null, fault.ToString());
        var report = await WaitEndedAsync(node, reportId!);
        using var cleared = await _client.DeleteAsync(new Uri($"/api/v1/faults/{marker}?node={node}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        Assert.False(dryBody.TryGetProperty("bug_report_id", out _));
        Assert.Equal(HttpStatusCode.OK, injected.StatusCode);
        Assert.Equal("injected", fault.GetProperty("status").GetString());
        Assert.Equal($"injection:{marker}", report.GetProperty("trigger").GetString());
        Assert.Equal("fault-api/alice", report.GetProperty("caller").GetString());
        Assert.Equal("succeeded", report.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
    }
}
