using System.Globalization;
using System.Net.Sockets;
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
/// A burst of the real agent's HTTP <c>DELETE /faults/{id}</c> for 66 DCGM-surface faults (three on each of 22 cells),
/// a third of the clients resetting their TCP connections right after sending the request and the rest once their
/// fault shows ended, while the stand-in dcgmi (a busy hostengine) answers each command late: the burst's clears and their write-backs run after their callers are gone.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DcgmClearBurstAbortTests : IClassFixture<HostNamespaceFixture>, IDisposable
{
    private const long Before = 3;
    private const int PerCell = 3;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private readonly HostNamespaceFixture _host;
    private readonly TestDirectory _directory = new();
    private readonly ITestOutputHelper _output;

    public DcgmClearBurstAbortTests(HostNamespaceFixture host, ITestOutputHelper output)
    {
        _host = host;
        _output = output;
    }

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task HttpDelete_BurstOf66ClientsResettingRightAfterSendingOrOnceTheirFaultEnded_EachValueWrittenBackOnce_EachFaultEndedOnce_TheNextClearAnswersTheEndedFault()
    {
        var dcgmi = new StandInDcgmi(_host);
        var cells = DcgmCells.Fill(dcgmi, Before, _ => PerCell);
        var settings = DcgmClearRestartTests.Settings(_directory, _host, dcgmi, restoreRetry: "00:00:01");
        await using var agent = await AgentProcess.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var client = new AgentClient(channel);
        var ids = new List<string>();
        for (var round = 0; round < PerCell; round++)
        {
            foreach (var (gpu, field, values) in cells)
            {
                var request = new DcgmInjectFieldRequest { Field = field.ToString(CultureInfo.InvariantCulture), Value = values[round].ToString(CultureInfo.InvariantCulture), GpuId = 1 - gpu };
                ids.Add((await client.InjectDcgmFieldAsync(request, AgentApplicationFactory.Auth())).Fault.FaultId);
            }
        }

        dcgmi.SetAnswerDelay(0.1);
        var sockets = new List<Socket>();
        try
        {
            var aborted = new bool[ids.Count];
            for (var i = 0; i < ids.Count; i++)
            {
                var socket = await DcgmClearAbortTests.SendAbortedClearAsync(agent, ids[i]);
                sockets.Add(socket);
                if (i % 3 == 0)
                {
                    Reset(socket);
                    aborted[i] = true;
                }
            }

            // A third of the clients reset their connections right after sending (a reset, not a close: the agent sees
            // the abort); the rest once their fault shows ended, while its write-back waits for the DCGM lock or runs.
            await Eventually.TrueAsync(
                async () =>
                {
                    var states = (await DcgmClearRestartTests.ListAsync(client)).ToDictionary(f => f.FaultId, f => f.State);
                    for (var i = 0; i < ids.Count; i++)
                    {
                        if (!aborted[i] && states[ids[i]] != FaultState.Active)
                        {
                            Reset(sockets[i]);
                            aborted[i] = true;
                        }
                    }

                    return aborted.All(a => a);
                },
                "every other client's fault ended, its connection reset right after",
                Generous);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        // A request whose reset reached the agent before it read the request never cleared its fault (the client
        // cannot tell: the kernel drops what the agent had not read yet); every fault the burst ended has its value
        // taken back, none half-done.
        await Eventually.TrueAsync(
            async () => (await DcgmClearRestartTests.ListAsync(client)).All(f => f.State == FaultState.Active
                ? f.DcgmWrites.All(w => w.RestoreState == ProtoRestoreState.Unspecified)
                : f.DcgmWrites.All(w => w.RestoreState is ProtoRestoreState.Restored or ProtoRestoreState.Held)),
            "every fault the burst ended with its value taken back",
            Generous);
        dcgmi.SetAnswerDelay(0);
        var listed = (await DcgmClearRestartTests.ListAsync(client)).ToDictionary(f => f.FaultId);
        var ended = listed.Values.Where(f => f.State != FaultState.Active).Select(f => f.FaultId).ToHashSet(StringComparer.Ordinal);
        _output.WriteLine($"{ended.Count} of {ids.Count} ended by the burst");
        Assert.All(ended, id => Assert.Equal(FaultState.Cleared, listed[id].State));
        Assert.All(ended, id => Assert.EndsWith(": aborted", listed[id].EndedReason, StringComparison.Ordinal));
        Assert.All(ids.Where((_, i) => i % 3 != 0), id => Assert.Contains(id, ended));

        // The next clear of each: a fault the burst ended is answered as it ended (200, cleared, the same end), writing
        // nothing more; one it did not reach is cleared now.
        var writesBefore = dcgmi.Writes.Count;
        await DcgmClearAbortTests.AssertNextClearAnswersAsEndedAsync(agent, ended.Select(id => listed[id]));
        Assert.Equal(writesBefore, dcgmi.Writes.Count);
        foreach (var id in ids.Where(id => !ended.Contains(id)))
        {
            Assert.Equal(FaultState.Cleared, (await client.ClearFaultAsync(new ClearFaultRequest { FaultId = id, Reason = "again" }, AgentApplicationFactory.Auth())).State);
        }

        await Eventually.TrueAsync(
            async () => (await DcgmClearRestartTests.ListAsync(client)).All(f => f.State == FaultState.Cleared && f.DcgmWrites.All(w => w.RestoreState is ProtoRestoreState.Restored or ProtoRestoreState.Held)),
            "every fault cleared and its value taken back",
            Generous);
        _output.WriteLine(string.Join("; ", dcgmi.Writes.Skip(ids.Count).Select(w => $"gpu {w.Gpu} field {w.Field} = {w.Value}")));
        DcgmCells.AssertEachWrittenBackOnce(dcgmi, cells, Before);

        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults);
        Assert.Equal(0, await ClearRestartTests.ActiveGaugeAsync(agent));
        await agent.KillAsync();
        Assert.Empty(DcgmClearRestartTests.OpenLedgerEntries(settings));
        var ends = ClearRestartTests.EndCounts(settings);
        Assert.All(ids, id => Assert.Equal(1, ends[id]));
    }

    private static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }
}
