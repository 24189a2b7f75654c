using System.Net;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.BugReports;

/// <summary>
/// A download whose agent stream breaks after the headers went out: the API aborts the connection (real Kestrel), so the
/// client sees a failed transfer, never a complete-looking short file.
/// </summary>
public sealed class BrokenDownloadTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Download_AgentStreamBreaksOrSkips_ConnectionAbortedNotAShortFile(bool gap)
    {
        await using var agent = await DownloadAgent.StartAsync(new BrokenDownloadAgentService(gap));
        await using var api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            ["Routing:Static:Nodes:gpu-node-001"] = agent.Urls.First(),
        });
        api.UseKestrel(0);
        api.StartServer();
        using var client = api.CreateAuthenticatedClient();

        using var response = await client.GetAsync(new Uri("/api/v1/bug-reports/gpu-node-001/r1", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = 0L;
        var failure = await Record.ExceptionAsync(async () =>
        {
            var buffer = new byte[16384];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BrokenDownloadAgentService.TotalSize, response.Content.Headers.ContentLength);
        Assert.True(failure is HttpRequestException or IOException, $"expected a broken transfer, got {failure?.GetType().Name ?? "a clean end"} after {received} bytes");
        Assert.True(received < BrokenDownloadAgentService.TotalSize);
    }
}
