using System.Globalization;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using FaultState = FaultInjection.Agent.V1.FaultState;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A REAL agent process started while /dev/kmsg in its target mount namespace cannot be read, with a pending entry a
/// SIGKILL left (its record in the machine's /dev/kmsg: <see cref="CrashedWrite"/>): a unix socket bound over /dev/kmsg
/// (open() fails, ENXIO), or /dev/null bound over it (read() returns nothing, as in a container whose runtime binds
/// /dev/null there). The start must keep the entry pending; once the log is readable again the agent's next injection
/// batch saves it with <c>before_sequence</c>, and the start after that resolves it from the real log.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class UnreadableKernelLogStartTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly TargetNamespaceProcess _target = new();
    private readonly string _marker = "uk" + Guid.NewGuid().ToString("N")[..10];
    private readonly ITestOutputHelper _output;
    private System.Net.Sockets.Socket? _socket; // open while bound: .NET unlinks a unix socket's file when it is disposed

    public UnreadableKernelLogStartTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        _socket?.Dispose();
        _target.Dispose();
        _directory.Dispose();
    }

    [RootTheory]
    [InlineData("socket")]
    [InlineData("/dev/null")]
    public async Task Restart_KernelLogUnreadableAtStart_PendingKept_NextBatchSavesBeforeSequence_ReadableRestartResolvesIt(string boundOverKmsg)
    {
        var settings = ClearRestartTests.Settings(_directory, _target.Pid, "node-unreadable-kmsg");
        var state = settings["Agent:StateDirectory"];
        await using (var first = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(first.GrpcAddress);
            var client = new AgentClient(channel);
            _ = await client.InjectXidAsync(Request("w0", 5000), AgentApplicationFactory.Auth()); // GPU 0's preamble printed
            var single = await client.InjectXidAsync(Request("p1", 4242), AgentApplicationFactory.Auth());
            Assert.Single(single.Fault.Records);
            await first.KillAsync();
        }

        // As if killed after p1's pending entry and its write: p1 pending in the journal, its record in the kernel log.
        var landed = CrashedWrite.AfterFirstRecord(state, "p1", out var fromSequence);
        var bound = boundOverKmsg == "socket" ? SocketFile(_directory.Combine("kmsg-socket")) : boundOverKmsg;
        ulong? before;
        Fault after;
        _target.RunInside("mount", "--bind", bound, "/dev/kmsg");
        var mounted = true;
        try
        {
            await using var unreadable = await AgentProcess.StartAsync(settings);
            using var channel = GrpcChannel.ForAddress(unreadable.GrpcAddress);
            var client = new AgentClient(channel);
            var listed = (await client.ListFaultsAsync(new ListFaultsRequest { PageSize = 100 }, AgentApplicationFactory.Auth())).Faults;
            _output.WriteLine($"/dev/kmsg bound to {boundOverKmsg}: listed {string.Join(", ", listed.Select(f => $"{f.FaultId} {f.State}"))}");
            Assert.DoesNotContain(listed, f => f.FaultId == "p1");
            var left = Journal(state).LastOrDefault(e => e.FaultId == "p1");
            Assert.True(left is { Op: FaultJournalOperation.Pending }, $"p1 in the journal after the start: {left?.Op.ToString() ?? "gone (taken as nothing written, dropped)"}");

            // Readable again: the next batch saves p1 again, bounded by that batch's sequence.
            _target.RunInside("umount", "--lazy", "/dev/kmsg");
            mounted = false;
            after = (await client.InjectXidAsync(Request("a1", 4343), AgentApplicationFactory.Auth())).Fault;
            var kept = Journal(state).Last(e => e.FaultId == "p1");
            var batch = Journal(state).First(e => e.FaultId == "a1");
            Assert.Equal(FaultJournalOperation.Pending, kept.Op);
            Assert.NotNull(kept.BeforeSequence);
            Assert.Equal(batch.FromSequence, kept.BeforeSequence);
            before = kept.BeforeSequence;
            await unreadable.KillAsync();
        }
        finally
        {
            if (mounted)
            {
                _target.RunInside("umount", "--lazy", "/dev/kmsg");
            }
        }

        await using var readable = await AgentProcess.StartAsync(settings);
        using var readableChannel = GrpcChannel.ForAddress(readable.GrpcAddress);
        var readableClient = new AgentClient(readableChannel);
        var oldest = KernelLogRingFiller.OldestSequence();
        var p1 = await readableClient.GetFaultAsync(new GetFaultRequest { FaultId = "p1" }, AgentApplicationFactory.Auth());
        _output.WriteLine($"p1 pending from {fromSequence} before {before}, the ring's oldest record {oldest}: {p1.State} {p1.WriteOutcome} ({p1.WriteError})");
        if (oldest > fromSequence && p1.State == FaultState.OutcomeUnknown)
        {
            // Other writers made the ring overwrite p1's record before this start read it: unknown, never "nothing written".
            Assert.Contains("no longer held the records from sequence", p1.WriteError, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(FaultState.Active, p1.State);
            Assert.Equal(InjectionWriteOutcome.Verified, p1.WriteOutcome);
            var proof = Assert.Single(p1.Records);
            Assert.Equal(landed, proof.Text);
            Assert.True(proof.Sequence >= fromSequence && proof.Sequence < before, $"p1's proof at {proof.Sequence}, pending from {fromSequence} before {before}");
        }

        var active = (await readableClient.ListFaultsAsync(new ListFaultsRequest { PageSize = 100, ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults;
        Assert.Contains(active, f => f.FaultId == "a1" && f.Records.Select(r => r.Sequence).SequenceEqual(after.Records.Select(r => r.Sequence)));
        Assert.Equal(active.Count, await ClearRestartTests.ActiveGaugeAsync(readable));
    }

    /// <summary>A unix socket's file at <paramref name="path"/> (open() of it fails with ENXIO; nothing listens on it), kept until the test ends.</summary>
    private string SocketFile(string path)
    {
        _socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        _socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        return path;
    }

    private static List<FaultJournalEntry> Journal(string state) =>
        [.. new FaultJournal(state, NullLogger<FaultJournal>.Instance).Load().Entries];

    private InjectXidRequest Request(string faultId, int pid) =>
        new() { FaultId = faultId, Xid = 13, GpuId = 0, ProcessName = _marker, Pid = pid };
}
