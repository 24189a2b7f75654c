using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Net.Client;

namespace FaultAgent.Tests.Hosting;

/// <summary>
/// The agent process's endpoints are fixed in code: run from <c>/</c> (no appsettings.json beside it) with the
/// protocols configured the wrong way round, gRPC still answers over HTTP/2 and the HTTP routes over HTTP/1.1. And run
/// from <c>/</c> it watches nothing of the filesystem (settings are read once): with .NET's default reload-on-change it
/// put a recursive inotify watch on the working directory — 47,229 watches and 66 s to healthy here from <c>/</c>.
/// </summary>
public sealed class AgentEndpointsProcessTests
{
    [Fact]
    public async Task Start_FromRootWithProtocolsConfiguredWrong_GrpcAnswersOverHttp2AndHttpOverHttp11()
    {
        using var directory = new TestDirectory();

        await using var agent = await StartFromRootAsync(directory, new()
        {
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http1",
            ["Kestrel:Endpoints:Http:Protocols"] = "Http2",
        });
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var faults = await new AgentClient(channel).ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth());
        using var http = new HttpClient { BaseAddress = agent.HttpAddress };
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Empty(faults.Faults);
        Assert.True(health.IsSuccessStatusCode);
        Assert.Equal(new Version(1, 1), health.Version);
    }

    [Fact]
    public async Task Start_FromRoot_WatchesNothingOfTheFilesystem()
    {
        using var directory = new TestDirectory();

        await using var agent = await StartFromRootAsync(directory, new() { ["hostBuilder:reloadConfigOnChange"] = "true" });

        Assert.Equal(0, InotifyWatches.Count(agent.Pid));
    }

    /// <summary>The agent process started from <c>/</c> with its node, /proc tree, state, token file and <paramref name="extra"/> settings.</summary>
    private static Task<AgentProcess> StartFromRootAsync(TestDirectory directory, Dictionary<string, string> extra)
    {
        File.WriteAllText(directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");
        var settings = new Dictionary<string, string>(extra)
        {
            ["Agent:NodeName"] = "node-a",
            ["Agent:ProcRoot"] = TestProcRoot.Create(directory.Path),
            ["Agent:StateDirectory"] = directory.Combine("state"),
            ["Agent:TokenFile"] = directory.Combine("token"),
        };
        return AgentProcess.StartAsync(settings, workingDirectory: "/");
    }
}
