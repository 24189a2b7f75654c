using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FaultApi.BugReports;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.BugReports;

/// <summary>
/// A bug report download is opened a second time by the API only when its stream's first read failed because the new
/// connection shut down before the stream had one (SocketsHttpHandler's cause-less "did not complete the HTTP/2
/// handshake": nothing of the request was written) — the download's side of <see cref="Problems.Http1OnlyAgentTests"/>
/// and <see cref="Problems.AgentCallResendTests"/>. So an agent endpoint that speaks HTTP/1.1 only is named as such on
/// the first download too, and a download that reached the agent is never opened again: real Kestrel agents on
/// loopback, a <see cref="StreamCountingHttp2Relay"/> counting the streams the API opened.
/// </summary>
public sealed class BugReportDownloadResendTests
{
    /// <summary>Agent addresses, each downloaded from once (its first call).</summary>
    private const int Agents = 100;

    private const string NodeName = "gpu-node-001";
    private const string DownloadMethod = "/faultinjection.agent.v1.FaultAgent/DownloadBugReport";

    [Fact]
    public async Task Download_FirstDownloadFromEachOfManyHttp1OnlyAgents_EveryOneIs502()
    {
        // Each node its own address (its own port of one Http1-only Kestrel), so each download is the first call of a
        // fresh channel and a fresh connection, as the first download of a fresh API is.
        await using var http1 = await Http1OnlyServer.StartAsync(endpoints: Agents);
        var addresses = http1.Addresses;
        await using var api = new ApiApplicationFactory(http1.StaticRouting());
        using var client = api.CreateAuthenticatedClient();
        var answers = new List<string>();
        for (var i = 0; i < addresses.Count; i++)
        {
            using var response = await client.GetAsync(new Uri($"/api/v1/bug-reports/{Http1OnlyServer.NodeName(i)}/r1", UriKind.Relative));

            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            answers.Add($"{(int)response.StatusCode} {problem.GetProperty("title").GetString()}: {problem.GetProperty("detail").GetString()}");
        }

        Assert.Equal(Agents, addresses.Count);
        var others = answers.Where(a => !a.StartsWith("502 Agent speaks the wrong protocol: ", StringComparison.Ordinal)).ToList();
        Assert.True(others.Count == 0, $"{others.Count} of {Agents} first downloads were not the 502: {string.Join(" | ", others.Distinct())}");
    }

    [Fact]
    public async Task Download_StreamCutAfterItsFirstChunk_TransferFailsAndTheStreamIsNotOpenedAgain()
    {
        var service = new ArchiveDownloadAgentService(holdAfterFirstChunk: true);
        await using var agent = await DownloadAgent.StartAsync(service);
        await using var relay = new StreamCountingHttp2Relay(AgentEndPoint(agent.Urls.First()), DownloadMethod);
        await using var api = RealKestrelApi(relay.Address);
        using var client = api.CreateAuthenticatedClient();

        // The headers come once the API read the first chunk (it answers only then); then the network under the stream breaks.
        using var response = await client.GetAsync(new Uri($"/api/v1/bug-reports/{NodeName}/r1", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        var cut = relay.CutMethodConnections();
        var (received, failure) = await ReadBodyAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(received)}");
        Assert.Equal(ArchiveDownloadAgentService.TotalSize, response.Content.Headers.ContentLength);
        Assert.Equal(1, cut);
        Assert.True(failure is HttpRequestException or IOException, $"expected a broken transfer, got {failure?.GetType().Name ?? "a clean end"} after {received.Length} bytes");
        Assert.True(received.Length < ArchiveDownloadAgentService.TotalSize, $"{received.Length} bytes received");
        Assert.Equal(1, relay.Requests);
        Assert.Equal(1, service.Downloads);
    }

    [Fact]
    public async Task Download_AgentSpeaksHttp2_WholeArchiveThroughOneStream()
    {
        var service = new ArchiveDownloadAgentService();
        await using var agent = await DownloadAgent.StartAsync(service);
        await using var relay = new StreamCountingHttp2Relay(AgentEndPoint(agent.Urls.First()), DownloadMethod);
        await using var api = RealKestrelApi(relay.Address);
        using var client = api.CreateAuthenticatedClient();

        using var response = await client.GetAsync(new Uri($"/api/v1/bug-reports/{NodeName}/r1", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        var (received, failure) = await ReadBodyAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(failure);
        Assert.Equal("application/gzip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ArchiveDownloadAgentService.TotalSize, response.Content.Headers.ContentLength);
        Assert.Equal(ArchiveDownloadAgentService.Sha256, response.Headers.GetValues(BugReportDownloader.ChecksumHeader).Single());
        Assert.True(received.AsSpan().SequenceEqual(ArchiveDownloadAgentService.Archive), $"{received.Length} bytes differ from the agent's archive");
        Assert.Equal(1, relay.Requests);
        Assert.Equal(1, service.Downloads);
    }

    private static IPEndPoint AgentEndPoint(string url)
    {
        var uri = new Uri(url);
        return new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
    }

    /// <summary>The API on real Kestrel (a broken download aborts its connection), routing <see cref="NodeName"/> to <paramref name="agent"/>.</summary>
    private static ApiApplicationFactory RealKestrelApi(Uri agent)
    {
        var api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            [$"Routing:Static:Nodes:{NodeName}"] = agent.ToString(),
        });
        api.UseKestrel(0);
        api.StartServer();
        return api;
    }

    /// <summary>Reads the body to its end, or to the failure that ended it.</summary>
    private static async Task<(byte[] Received, Exception? Failure)> ReadBodyAsync(HttpResponseMessage response)
    {
        using var received = new MemoryStream();
        await using var body = await response.Content.ReadAsStreamAsync();
        var failure = await Record.ExceptionAsync(() => body.CopyToAsync(received));
        return (received.ToArray(), failure);
    }
}
