using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FaultAgent.Tests.BugReports;
using FaultAgent.Tests.HostProcesses;
using FaultApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaultApi.Tests.BugReports;

/// <summary>
/// A client that opens a bug-report download through the API and stops reading holds the node's download place only for
/// the API's <c>BugReports:DownloadIdleTimeoutSeconds</c>: the real API (real Kestrel) in front of a REAL agent whose
/// own idle timeout is an hour and which serves 2 downloads at once; the stalled clients are raw sockets with a small
/// receive buffer, so the API's writes to them block once the kernel's buffers are full (the archive is 16 MiB).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class BugReportRelayIdleTests
{
    private const string NodeName = "gpu-node-001";
    private const int MaxConcurrentDownloads = 2;
    private const int DownloadStalledEventId = 5103;
    private const long ArchiveBytes = 16L * 1024 * 1024;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    [RootFact]
    public async Task Download_ClientsStopReading_TheirTransfersAreCutAndTheAgentsPlacesServeFreshDownloads()
    {
        using var host = new HostNamespaceFixture();
        using var directory = new TestDirectory();
        var tool = StandInBugReportTool.Writing(host, ArchiveBytes);
        await using var agent = await RealAgentProcess.StartInAsync(
            directory,
            NodeName,
            LoopbackAddresses.Allocate(1)[0],
            host.TargetPid,
            new Dictionary<string, string>
            {
                ["Agent:Tools:NvidiaBugReportPath"] = tool.Path,
                ["Agent:BugReports:MaxConcurrentDownloads"] = MaxConcurrentDownloads.ToString(CultureInfo.InvariantCulture),
                ["Agent:BugReports:DownloadIdleTimeout"] = "01:00:00",
                ["Logging:LogLevel:Default"] = "Warning",
            });
        using var logs = new RecordingLoggerProvider();
        await using var api = new ApiApplicationFactory(
            new Dictionary<string, string?>
            {
                ["Routing:Mode"] = "Static",
                [$"Routing:Static:Nodes:{NodeName}"] = agent.GrpcAddress.ToString(),
                ["Routing:AgentGrpcPort"] = agent.GrpcAddress.Port.ToString(CultureInfo.InvariantCulture),
                ["BugReports:DownloadIdleTimeoutSeconds"] = "3",
            },
            s => s.AddLogging(l => l.AddProvider(logs)));
        api.UseKestrel(0);
        api.StartServer();
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiApplicationFactory.AliceToken);
        var (id, sha256) = await FinishedReportAsync(client);
        var path = $"/api/v1/bug-reports/{NodeName}/{id}";

        var stalled = new List<(Socket Socket, long ContentLength)>();
        try
        {
            for (var i = 0; i < MaxConcurrentDownloads; i++)
            {
                stalled.Add(await OpenStalledAsync(client.BaseAddress!, path));
            }

            // The API ends each one (logged), and only then are they read again: their transfers end short.
            await Eventually.TrueAsync(
                () => logs.Events.Count(e => e.EventId == DownloadStalledEventId) == MaxConcurrentDownloads,
                "the API to end both stalled downloads",
                Generous);
            foreach (var (socket, contentLength) in stalled)
            {
                var received = await DrainAsync(socket);
                Assert.True(received < contentLength, $"{received} of {contentLength} bytes");
            }

            // And the agent's places are free: MaxConcurrentDownloads fresh downloads at once, each read whole.
            List<HttpResponseMessage> fresh = [];
            await Eventually.TrueAsync(
                async () =>
                {
                    foreach (var response in fresh)
                    {
                        response.Dispose();
                    }

                    fresh = [];
                    for (var i = 0; i < MaxConcurrentDownloads; i++)
                    {
                        fresh.Add(await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead));
                    }

                    return fresh.All(r => r.StatusCode == HttpStatusCode.OK);
                },
                $"{MaxConcurrentDownloads} fresh downloads served at once",
                () => string.Join(", ", fresh.Select(r => r.StatusCode)),
                Generous);
            // Read together: a fresh download left unread while another is hashed is a stalled client too, and the
            // API cuts it after its idle timeout (a loaded CI machine took longer than that to hash the first one).
            try
            {
                var hashes = await Task.WhenAll(fresh.Select(Sha256Async));
                Assert.All(hashes, h => Assert.Equal(sha256, h));
            }
            finally
            {
                foreach (var response in fresh)
                {
                    response.Dispose();
                }
            }
        }
        finally
        {
            foreach (var (socket, _) in stalled)
            {
                socket.Dispose();
            }
        }
    }

    private static async Task<(string Id, string Sha256)> FinishedReportAsync(HttpClient client)
    {
        using var start = await client.PostAsJsonAsync("/api/v1/bug-reports", new { node_name = NodeName });
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        JsonElement report = default;
        await Eventually.TrueAsync(
            async () =>
            {
                report = await client.GetFromJsonAsync<JsonElement>($"/api/v1/bug-reports/{NodeName}/{id}/status");
                return report.GetProperty("status").GetString() != "running";
            },
            $"bug report {id} to end",
            Generous);
        Assert.Equal("succeeded", report.GetProperty("status").GetString());
        Assert.True(report.GetProperty("size_bytes").GetInt64() > ArchiveBytes);
        return (id, report.GetProperty("sha256").GetString()!);
    }

    /// <summary>A raw HTTP/1.1 download with a 4 KiB receive buffer that reads the 200's headers and then nothing.</summary>
    private static async Task<(Socket Socket, long ContentLength)> OpenStalledAsync(Uri api, string path)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, api.Port);
            var request = $"GET {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {ApiApplicationFactory.AliceToken}\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request));
            var head = new StringBuilder();
            var buffer = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                Assert.True(await socket.ReceiveAsync(buffer) == 1, $"the connection ended after: {head}");
                head.Append((char)buffer[0]);
            }

            var lines = head.ToString().Split("\r\n");
            Assert.True(lines[0] == "HTTP/1.1 200 OK", head.ToString());
            var length = lines.Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            return (socket, long.Parse(length["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads what is left until the connection ends (closed or reset); the body bytes received.</summary>
    private static async Task<long> DrainAsync(Socket socket)
    {
        var buffer = new byte[65536];
        long received = 0;
        using var deadline = new CancellationTokenSource(Generous);
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                received += read;
            }
        }
        catch (SocketException)
        {
            // reset: the API aborted the connection
        }

        return received;
    }

    private static async Task<string> Sha256Async(HttpResponseMessage response)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(body));
    }
}
