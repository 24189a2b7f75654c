using System.Globalization;
using System.Net;
using FaultApi.Tests.EndToEnd;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Hosting;

/// <summary>
/// The published API started from <c>/</c> watches nothing of the filesystem: settings are read once at start, in code
/// (<c>ApiApplicationOptions</c>), whatever the command line says. With .NET's default reload-on-change the host put a
/// recursive inotify watch on its working directory — from <c>/</c>, the whole filesystem.
/// </summary>
public sealed class ApiWorkingDirectoryTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Start_FromRoot_WatchesNothingOfTheFilesystem()
    {
        File.WriteAllText(_directory.Combine("tokens"), $"alice:{ApiApplicationFactory.AliceToken}\n");
        File.WriteAllText(_directory.Combine("agent-token"), $"{ApiApplicationFactory.AgentToken}\n");
        var closedPort = LoopbackAddresses.FreePort(IPAddress.Loopback);

        await using var api = await FaultApiProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Routing:Mode"] = "Static",
                ["Routing:Static:Nodes:gpu-node-001"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{closedPort}"),
                ["Auth:TokenFile"] = _directory.Combine("tokens"),
                ["Agents:TokenFile"] = _directory.Combine("agent-token"),
                ["Stop:StateFile"] = _directory.Combine("stop.json"),
                ["hostBuilder:reloadConfigOnChange"] = "true",
            },
            workingDirectory: "/");

        Assert.Equal(0, InotifyWatches.Count(api.Process.Pid));
    }
}
