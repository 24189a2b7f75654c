using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FaultApi.Hosting;
using FaultApi.Tests.EndToEnd;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Hosting;

namespace FaultApi.Tests.Hosting;

/// <summary>
/// The real API process's connection cap (<c>Http:MaxConnections</c>, counted per listening address) and its control port
/// (<c>Http:ControlPort</c>, the probes and the emergency stop): with the main port's cap held by idle keep-alive
/// connections, the next connection is closed unanswered while the control port still answers the probes and the stop;
/// once the held connections close, the main port accepts again. A setting out of range stops the process.
/// </summary>
public sealed class ApiConnectionCapTests : IDisposable
{
    private const int Cap = 8;
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task MainPort_CapHeldByIdleConnections_NextClosedUnanswered_ControlPortAnswersProbesAndStop_FreedCapAcceptsAgain()
    {
        var main = new IPEndPoint(IPAddress.Loopback, LoopbackAddresses.FreePort(IPAddress.Loopback));
        var control = new IPEndPoint(IPAddress.Loopback, LoopbackAddresses.FreePort(IPAddress.Loopback));
        var settings = Settings();
        settings["Http:MaxConnections"] = Cap.ToString(CultureInfo.InvariantCulture);
        settings["Http:ControlPort"] = control.Port.ToString(CultureInfo.InvariantCulture);
        await using var api = await ProductProcess.StartAsync(
            "dotnet",
            [FaultApiProcess.ApiAssembly, "--urls", $"http://{main};http://{control}"],
            settings,
            Path.GetDirectoryName(FaultApiProcess.ApiAssembly)!,
            new Uri($"http://{main}/ready"),
            "the API");
        using var controlClient = new HttpClient { BaseAddress = new Uri($"http://{control}") };
        controlClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApplicationFactory.AliceToken);

        var held = await IdleConnections.HoldAsync(main, Cap, http2: false);
        int refused;
        HttpStatusCode health, ready, stop, stopState, other, anonymousStop;
        try
        {
            refused = await IdleConnections.BytesBeforeCloseAsync(main, IdleConnections.Http1Request);
            health = await StatusAsync(controlClient.GetAsync(new Uri("/health", UriKind.Relative)));
            ready = await StatusAsync(controlClient.GetAsync(new Uri("/ready", UriKind.Relative)));
            stop = await StatusAsync(controlClient.PostAsJsonAsync("/api/v1/stop", new { reason = "connection flood drill" }));
            stopState = await StatusAsync(controlClient.GetAsync(new Uri("/api/v1/stop", UriKind.Relative)));
            other = await StatusAsync(controlClient.GetAsync(new Uri("/api/v1/nodes", UriKind.Relative)));
            using var anonymous = new HttpClient { BaseAddress = new Uri($"http://{control}") };
            anonymousStop = await StatusAsync(anonymous.PostAsJsonAsync("/api/v1/stop", new { reason = "no token" }));
        }
        finally
        {
            IdleConnections.Close(held);
        }

        Assert.Equal(0, refused);
        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal(HttpStatusCode.OK, stop);
        Assert.Equal(HttpStatusCode.OK, stopState);
        Assert.Equal(HttpStatusCode.NotFound, other);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousStop);
        await Eventually.TrueAsync(
            async () =>
            {
                using var fresh = new HttpClient { BaseAddress = new Uri($"http://{main}") };
                fresh.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApplicationFactory.AliceToken);
                try
                {
                    return await StatusAsync(fresh.GetAsync(new Uri("/api/v1/stop", UriKind.Relative))) == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            "a new connection to the main port answered after the held ones closed");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("100001")]
    public async Task Start_MaxConnectionsOutOfRange_ExitsWithTheFailureCodeNamingTheSetting(string value)
    {
        var settings = Settings();
        settings["Http:MaxConnections"] = value;

        var (exitCode, output) = await FaultApiProcess.RunUntilExitAsync(settings);

        Assert.True(exitCode == ProgramFailure.ExitCode, $"exit code {exitCode}:\n{output}");
        Assert.Contains(output.Split('\n'), l => l.StartsWith("FaultApi cannot run: ", StringComparison.Ordinal) && l.Contains("Http:MaxConnections", StringComparison.Ordinal));
    }

    private static async Task<HttpStatusCode> StatusAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return response.StatusCode;
    }

    private Dictionary<string, string> Settings()
    {
        var tokens = _directory.Combine("tokens");
        File.WriteAllText(tokens, $"alice:{ApiApplicationFactory.AliceToken}\n");
        return FaultApiProcess.StaticSettings(_directory, tokens);
    }
}
