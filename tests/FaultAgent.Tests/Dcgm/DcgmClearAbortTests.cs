using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;
using FaultAgent.Tests.Registry;
using FaultInjection.Agent.V1;
using Grpc.Net.Client;
using Xunit.Abstractions;
using Eventually = FaultAgent.Tests.Infrastructure.Eventually;
using ProtoRestoreState = FaultInjection.Agent.V1.DcgmRestoreState;

namespace FaultAgent.Tests.Dcgm;

/// <summary>
/// The real agent's HTTP route <c>DELETE /faults/{id}</c> for DCGM-surface faults, each client aborting its TCP connection
/// (a reset) while the write-back it asked for is under way: the stand-in dcgmi answers each command only after a
/// second (a busy hostengine), and each client resets its connection once the hostengine has taken its fault's value
/// back (the write-back's read-back still to come).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DcgmClearAbortTests : IClassFixture<HostNamespaceFixture>, IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly HostNamespaceFixture _host;
    private readonly TestDirectory _directory = new();
    private readonly ITestOutputHelper _output;

    public DcgmClearAbortTests(HostNamespaceFixture host, ITestOutputHelper output)
    {
        _host = host;
        _output = output;
    }

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task HttpDelete_ClientsResetTheirConnectionsMidWriteBack_EachFaultEndsOnce_EachValueWrittenBackOnce_TheNextClearAnswersTheEndedFault()
    {
        var dcgmi = new StandInDcgmi(_host);
        var settings = DcgmClearRestartTests.Settings(_directory, _host, dcgmi, restoreRetry: "00:00:01");
        var cells = DcgmClearRestartTests.ThreeCells(dcgmi);
        await using var agent = await AgentProcess.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var client = new AgentClient(channel);
        var ids = new List<string>();
        foreach (var (gpu, field, _, value) in cells)
        {
            var request = new DcgmInjectFieldRequest { Field = field.ToString(CultureInfo.InvariantCulture), Value = value.ToString(CultureInfo.InvariantCulture), GpuId = 1 - gpu };
            ids.Add((await client.InjectDcgmFieldAsync(request, AgentApplicationFactory.Auth())).Fault.FaultId);
        }

        dcgmi.SetAnswerDelay(1);
        var sockets = new List<Socket>();
        try
        {
            foreach (var id in ids)
            {
                sockets.Add(await SendAbortedClearAsync(agent, id));
            }

            // Each client resets its connection once its cell took its value back (the read-back is a second away).
            var aborted = new bool[cells.Length];
            await Eventually.TrueAsync(
                () =>
                {
                    var writes = dcgmi.Writes;
                    for (var i = 0; i < cells.Length; i++)
                    {
                        if (!aborted[i] && writes.Count(w => w.Gpu == cells[i].Gpu && w.Field == cells[i].Field) >= 2)
                        {
                            sockets[i].LingerState = new LingerOption(true, 0);
                            sockets[i].Close();
                            aborted[i] = true;
                        }
                    }

                    return Task.FromResult(aborted.All(a => a));
                },
                "every cell's value taken back, each client's connection reset right after",
                Generous);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        await Eventually.TrueAsync(
            async () => (await DcgmClearRestartTests.ListAsync(client)).All(f => f.DcgmWrites.All(w => w.RestoreState == ProtoRestoreState.Restored)),
            "every write-back recorded",
            Generous);
        dcgmi.SetAnswerDelay(0);
        var listed = (await DcgmClearRestartTests.ListAsync(client)).ToDictionary(f => f.FaultId);
        _output.WriteLine(string.Join("; ", dcgmi.Writes.Select(w => $"gpu {w.Gpu} field {w.Field} = {w.Value}")));
        Assert.All(listed.Values, f => Assert.Equal(FaultState.Cleared, f.State));
        DcgmClearRestartTests.AssertEachWrittenBackOnce(dcgmi, cells);

        // The next clear of each answers the fault as it ended (200, cleared, the same end), writing nothing more.
        var writesBefore = dcgmi.Writes.Count;
        await AssertNextClearAnswersAsEndedAsync(agent, ids.Select(id => listed[id]));
        Assert.Equal(writesBefore, dcgmi.Writes.Count);
        Assert.Equal(0, await ClearRestartTests.ActiveGaugeAsync(agent));
        await agent.KillAsync();
        Assert.Empty(DcgmClearRestartTests.OpenLedgerEntries(settings));
        var ends = ClearRestartTests.EndCounts(settings);
        Assert.All(ids, id => Assert.Equal(1, ends[id]));
    }

    /// <summary>Sends <c>DELETE /faults/{id}?reason=aborted</c> on a connection of its own and returns it, not waiting for the answer.</summary>
    internal static async Task<Socket> SendAbortedClearAsync(AgentProcess agent, string id)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(agent.HttpAddress.Host, agent.HttpAddress.Port);
            var text = $"DELETE /faults/{id}?reason=aborted HTTP/1.1\r\nHost: {agent.HttpAddress.Authority}\r\nAuthorization: Bearer {AgentApplicationFactory.ApiToken}\r\nContent-Length: 0\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The next HTTP clear of each fault an aborted clear ended answers it as it ended: 200, cleared, the same end.</summary>
    internal static async Task AssertNextClearAnswersAsEndedAsync(AgentProcess agent, IEnumerable<Fault> ended)
    {
        using var http = new HttpClient { BaseAddress = agent.HttpAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AgentApplicationFactory.ApiToken);
        foreach (var fault in ended)
        {
            using var again = await http.DeleteAsync(new Uri($"/faults/{fault.FaultId}?reason=again", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);
            var body = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
            Assert.Equal("cleared", body["state"]!.GetValue<string>());
            Assert.Equal(fault.EndedReason, body["ended_reason"]!.GetValue<string>());
            Assert.EndsWith(": aborted", fault.EndedReason, StringComparison.Ordinal);
            Assert.Equal(fault.EndedAt.ToDateTimeOffset(), body["ended_at"]!.GetValue<DateTimeOffset>());
        }
    }
}
