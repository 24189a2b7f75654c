using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Faults;

/// <summary>
/// The real API in front of a real agent process, through a relay on the network between them. When the agent's answer
/// is lost after its write (the connection resets as the answer starts), the outcome is unknown to the API: its
/// automatic retry carries the same fault id and key, and the agent replays instead of writing a second time. When the
/// agent was killed in the middle of a multi-record write (only the first record landed in the machine's /dev/kmsg) and
/// restarted, the caller's retry with the same Idempotency-Key reaches the agent with the same fault id and key: the
/// agent replays the recorded partial write instead of writing, and the API answers its own problem (500, type
/// injection-partially-written) naming the record that landed — or, when other writers on the machine made the ring
/// overwrite the records from the pending entry's sequence on before the restarted agent read them (seen from the
/// ring itself), its documented injection-outcome-unknown. What was written is checked by a
/// <see cref="KernelLogRecorder"/> started with each test, not by dmesg afterwards (the ring keeps ~1,500 records).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class InjectionOutcomeTests : IAsyncLifetime
{
    private const string NodeName = "gpu-node-torn";
    private readonly string _marker = "tn" + Guid.NewGuid().ToString("N")[..10];
    private ApiOverRealAgent? _cluster;

    private AnswerDroppingHttp2Relay Relay => (AnswerDroppingHttp2Relay)_cluster!.Relay!;

    public async Task InitializeAsync() => _cluster = await ApiOverRealAgent.StartAsync(NodeName, agent => new AnswerDroppingHttp2Relay(agent));

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [RootFact]
    public async Task InjectXid_AgentAnswerLostAfterTheWrite_AutomaticRetryReplaysAndEachRecordIsWrittenOnce()
    {
        using var kernelLog = KernelLogRecorder.Start();
        using var http = _cluster!.Api.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApplicationFactory.AliceToken);
        Relay.DropAnswerTo(_marker);

        // No Idempotency-Key and no fault id from the caller: only the API's own retry can repeat this call.
        using var response = await http.PostAsJsonAsync(
            "/api/v1/faults/gpu/inject/xid-79", new { node_name = NodeName, gpu_id = 0, companion_lines = true, process_name = _marker, pid = 4242 });

        Assert.Equal(1, Relay.Dropped);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fault = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(fault.GetProperty("replayed").GetBoolean());
        Assert.Equal("active", fault.GetProperty("state").GetString());
        Assert.StartsWith("fault-", fault.GetProperty("fault_id").GetString(), StringComparison.Ordinal);
        var records = fault.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("text").GetString()!).Where(t => t.Contains(_marker, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(records);
        var inKernelLog = kernelLog.SnapshotContaining(_marker);
        Assert.True(
            records.Order(StringComparer.Ordinal).SequenceEqual(inKernelLog.Order(StringComparer.Ordinal)),
            $"the kernel log's records naming {_marker}: {string.Join(" | ", inKernelLog)}; the fault's: {string.Join(" | ", records)}");
    }

    [RootFact]
    public async Task InjectXid_RetryOfAWriteThatStoppedPartWay_500PartiallyWrittenNamingTheLandedRecordAndNothingWritten()
    {
        using var kernelLog = KernelLogRecorder.Start();
        using var http = _cluster!.Api.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApplicationFactory.AliceToken);
        HttpRequestMessage Inject()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/faults/gpu/inject/xid-79")
            {
                Content = JsonContent.Create(new { node_name = NodeName, gpu_id = 0, companion_lines = true, process_name = _marker, pid = 4242 }),
            };
            request.Headers.Add("Idempotency-Key", "drill-" + _marker);
            return request;
        }

        string faultId;
        List<string> ours;
        using (var first = await http.SendAsync(Inject()))
        {
            var body = await first.Content.ReadAsStringAsync();
            Assert.True(first.StatusCode == HttpStatusCode.OK, $"{(int)first.StatusCode} {body}");
            var fault = JsonDocument.Parse(body).RootElement;
            faultId = fault.GetProperty("fault_id").GetString()!;
            Assert.StartsWith("fault-", faultId, StringComparison.Ordinal);
            Assert.True(fault.GetProperty("records").GetArrayLength() > 1);
            ours = [.. fault.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("text").GetString()!).Where(t => t.Contains(_marker, StringComparison.Ordinal))];
        }

        await _cluster.StopAgentAsync();
        var landed = CrashedWrite.AfterFirstRecord(_cluster.StateDirectory, faultId, out var fromSequence);
        await _cluster.StartAgentAsync();

        using var retry = await RetryUntilTheAgentAnswersAsync(http, Inject);

        // The agent resolved the pending entry at its start, before it answered; the ring only moves forward, so if it
        // holds the pending entry's sequence now, it held every record from there on then.
        var oldest = KernelLogRingFiller.OldestSequence();
        var records = kernelLog.Snapshot();
        kernelLog.AssertNoneLost();
        var text = await retry.Content.ReadAsStringAsync();
        _ = await ProblemResponse.ReadAsync(retry, HttpStatusCode.InternalServerError);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(faultId, problem.GetProperty("fault_id").GetString());
        var recorded = problem.GetProperty("fault");
        var proofs = recorded.GetProperty("records").EnumerateArray().Select(r => (Text: r.GetProperty("text").GetString()!, Sequence: r.GetProperty("sequence").GetUInt64())).ToList();
        Assert.All(proofs, p => Assert.True(p.Sequence >= fromSequence && records.GetValueOrDefault(p.Sequence) == p.Text,
            $"the proof names sequence {p.Sequence} (pending from {fromSequence}); the kernel log holds '{records.GetValueOrDefault(p.Sequence)}' there"));
        if (oldest > fromSequence && recorded.GetProperty("state").GetString() == "outcome_unknown")
        {
            // Other writers overwrote the records the restart needed: whether record 1 landed cannot be proven there.
            Assert.Equal("urn:faultinjection:problem:injection-outcome-unknown", problem.GetProperty("type").GetString());
            Assert.Equal("INJECTION_OUTCOME_UNKNOWN", problem.GetProperty("reason").GetString());
        }
        else
        {
            Assert.True(
                problem.GetProperty("type").GetString() == "urn:faultinjection:problem:injection-partially-written",
                $"expected injection-partially-written (the ring's oldest record {oldest}, the pending sequence {fromSequence}), got: {text}");
            Assert.Equal("INJECTION_PARTIALLY_WRITTEN", problem.GetProperty("reason").GetString());
            Assert.Equal("partially_written", recorded.GetProperty("state").GetString());
            Assert.Equal(landed, Assert.Single(proofs).Text);
        }

        // Nothing more was written: the records naming this test's process are the first write's, once each.
        var named = KernelLogRecorder.Containing(records, _marker);
        Assert.True(named.SequenceEqual(ours), $"the kernel log's records naming {_marker}: {string.Join(" | ", named)}; the first write's: {string.Join(" | ", ours)}");
    }

    /// <summary>The API's channel reconnects to the restarted agent within seconds; until then it answers 503 (nothing written).</summary>
    private static async Task<HttpResponseMessage> RetryUntilTheAgentAnswersAsync(HttpClient http, Func<HttpRequestMessage> request)
    {
        HttpResponseMessage? response = null;
        await Eventually.TrueAsync(
            async () =>
            {
                response?.Dispose();
                response = await http.SendAsync(request());
                return response.StatusCode != HttpStatusCode.ServiceUnavailable;
            },
            "the API to reach the restarted agent");
        return response!;
    }
}
