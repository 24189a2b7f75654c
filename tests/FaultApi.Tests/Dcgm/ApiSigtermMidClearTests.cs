using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Dcgm;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.EndToEnd;
using FaultApi.Tests.Faults;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;
using Eventually = FaultApi.Tests.Infrastructure.Eventually;
using ProtoRestoreState = FaultInjection.Agent.V1.DcgmRestoreState;

namespace FaultApi.Tests.Dcgm;

/// <summary>
/// A real FaultApi process SIGTERMed while DELETE /api/v1/faults/{id} of DCGM faults are in flight (a busy hostengine:
/// every dcgmi answer a second late, the write-backs queued behind the agent's DCGM lock), in front of a real agent
/// with the stand-in dcgmi; then started again on the same settings.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class ApiSigtermMidClearTests : IClassFixture<HostNamespaceFixture>, IDisposable
{
    private const string Node = "gpu-node-001";
    private const string CallerToken = "redteam9-caller-token-0123456789";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private readonly HostNamespaceFixture _host;
    private readonly TestDirectory _directory = new();
    private readonly ITestOutputHelper _output;

    public ApiSigtermMidClearTests(HostNamespaceFixture host, ITestOutputHelper output)
    {
        _host = host;
        _output = output;
    }

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task ClearFault_ApiSigtermedWhileDcgmClearsAreInFlight_EachCallerAnsweredOr503ApiStopping_AgentNeverHalfDone_RestartedApiListsAsTheAgent()
    {
        var procTree = Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8");
        var dcgmi = new StandInDcgmi(_host, DcgmCluster.ReversedState(procTree));
        await using var agent = await RealAgentProcess.StartInAsync(_directory, Node, IPAddress.Loopback, _host.TargetPid, new Dictionary<string, string>
        {
            ["Agent:Dcgm:DcgmiPath"] = dcgmi.Path,
            ["Agent:Dcgm:RestoreRetryInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var tokens = _directory.Combine("callers");
        await File.WriteAllTextAsync(tokens, $"redteam9:{CallerToken}\n");
        var settings = FaultApiProcess.StaticSettings(_directory, tokens);
        settings["Routing:Static:Nodes:" + Node] = agent.GrpcAddress.ToString().TrimEnd('/');
        settings["Agents:CallTimeoutSeconds"] = "60";

        var ids = new List<string>();
        List<(int Minor, HttpResponseMessage? Answer, Exception? Error)> outcomes = [];
        var injections = 0;
        await using (var api = await FaultApiProcess.StartAsync(settings))
        {
            using var client = api.CreateClient(CallerToken);
            for (var minor = 0; minor < 6; minor++)
            {
                using var injected = await client.PostAsJsonAsync(
                    new Uri("/api/v1/faults/gpu/inject/dcgm-field", UriKind.Relative),
                    new { node_name = Node, gpu_id = minor, field = "DCGM_FI_DEV_XID_ERRORS", value = 40 + minor });
                Assert.True(injected.StatusCode == HttpStatusCode.OK, await injected.Content.ReadAsStringAsync());
                ids.Add((await injected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fault_id").GetString()!);
            }

            injections = dcgmi.Writes.Count;
            dcgmi.SetAnswerDelay(1);
            var clears = ids.Select((id, minor) => Task.Run(async () =>
            {
                try
                {
                    return (minor, (HttpResponseMessage?)await client.DeleteAsync(new Uri($"/api/v1/faults/{id}?node={Node}&reason=sigterm", UriKind.Relative)), (Exception?)null);
                }
                catch (HttpRequestException e)
                {
                    return (minor, null, e);
                }
            })).ToList();

            // SIGTERM once the first write-back is stored in DCGM (the others wait for the agent's DCGM lock).
            await Eventually.TrueAsync(() => Task.FromResult(dcgmi.Writes.Count > injections), "the first write-back stored in DCGM", Generous);
            Signal(api.Process.Pid, "-TERM");
            outcomes = [.. await Task.WhenAll(clears)];
            await api.Process.KillAsync();
        }

        foreach (var (minor, answer, error) in outcomes)
        {
            var body = answer is null ? "" : await answer.Content.ReadAsStringAsync();
            _output.WriteLine($"GPU {minor}: {(answer is null ? "no answer: " + error!.Message : $"{(int)answer.StatusCode} {answer.Content.Headers.ContentType} {body}")}");
        }

        dcgmi.SetAnswerDelay(0);

        // The agent is never half-done: every fault it ended has its value taken back by its restore pass.
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var agentClient = new AgentClient(channel);
        var auth = new Metadata { { "authorization", "Bearer " + ApiApplicationFactory.AgentToken } };
        await Eventually.TrueAsync(
            async () => (await agentClient.ListFaultsAsync(new ListFaultsRequest { PageSize = 100 }, auth)).Faults.All(f => f.State == FaultState.Active
                ? f.DcgmWrites.All(w => w.RestoreState == ProtoRestoreState.Unspecified)
                : f.DcgmWrites.All(w => w.RestoreState is ProtoRestoreState.Restored or ProtoRestoreState.Held)),
            "every fault the agent ended with its value taken back",
            Generous);

        // Every caller got the cleared fault or a problem saying the API stopped with the outcome unknown there (503
        // API_STOPPING), never a dropped connection nor a bare 500.
        foreach (var (minor, answer, error) in outcomes)
        {
            Assert.True(answer is not null, $"GPU {minor}'s DELETE got no answer: {error?.Message}");
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
                Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
                var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("API_STOPPING", problem.GetProperty("reason").GetString());
                Assert.Contains("whether it took effect there is not known here", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }

        await using (var restarted = await FaultApiProcess.StartAsync(settings))
        {
            using var client = restarted.CreateClient(CallerToken);
            var agentFaults = (await agentClient.ListFaultsAsync(new ListFaultsRequest { PageSize = 100 }, auth)).Faults.ToDictionary(f => f.FaultId);
            var listed = await FaultListAfterAgentKillTests.ApiListAsync(client, $"/api/v1/faults?node={Node}&limit=1000");
            Assert.Equal(agentFaults.Keys.Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
            Assert.All(agentFaults.Values, f => Assert.Equal(FaultListAfterAgentKillTests.Expected(f), listed[f.FaultId]));

            // What the stop left active is cleared now; each cell takes its value before once.
            foreach (var id in ids.Where(id => agentFaults[id].State == FaultState.Active))
            {
                using var cleared = await client.DeleteAsync(new Uri($"/api/v1/faults/{id}?node={Node}&reason=after", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
            }
        }

        for (var minor = 0; minor < 6; minor++)
        {
            var gpu = DcgmCluster.DcgmGpuIdOf(minor);
            Assert.Equal([40L + minor, 0L], dcgmi.Writes.Where(w => w.Gpu == gpu && w.Field == 230).Select(w => w.Value));
        }
    }

    private static void Signal(int pid, string signal)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add(signal);
        start.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
