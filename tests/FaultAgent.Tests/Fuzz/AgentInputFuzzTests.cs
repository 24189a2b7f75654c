using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Xunit.Abstractions;
using RpcStatus = global::Grpc.Core.Status;

namespace FaultAgent.Tests.Fuzz;

/// <summary>
/// Every bad input gets a clear error, and nothing is written on a refusal: each method of
/// <c>faultinjection.agent.v1.FaultAgent</c> (from its descriptor, so a method added later is fuzzed too) is called on the
/// real app on Kestrel with requests generated from fixed seeds by <see cref="AgentRequestFuzzer"/> (edge values mixed
/// with valid ones, unknown fields, cut and garbage wire bytes), always with a valid token. Injections are dry runs
/// except every fourth seed, which writes for real with a unique marker in the line so its records can be counted.
/// Each answer is OK or a client error — never INTERNAL or UNKNOWN — a refusal carries its detail (INVALID_ARGUMENT a
/// google.rpc.BadRequest naming the field), a refusal changes nothing (faults, audit trail, stop, bug reports, no kernel
/// line with the marker) and an OK injection wrote exactly the records it answered (a dry run or a replay none).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class AgentInputFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The seeds every method is called with; fixed, so a failure reproduces.</summary>
    private static readonly int[] Seeds = [.. Enumerable.Range(1, 12)];

    private static readonly HashSet<StatusCode> ClientErrors =
    [
        StatusCode.InvalidArgument,
        StatusCode.NotFound,
        StatusCode.FailedPrecondition,
        StatusCode.AlreadyExists,
        StatusCode.OutOfRange,
        StatusCode.ResourceExhausted,
        StatusCode.Aborted,
    ];

    private readonly string _marker = "f" + Guid.NewGuid().ToString("N")[..12];
    private RealAgent _agent = null!;
    private string _heldFaultId = null!;

    public async Task InitializeAsync()
    {
        _agent = RealAgent.Start();
        var held = await _agent.Client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 1, Pid = 4242, ProcessName = "h" + _marker[1..] }, AgentApplicationFactory.Auth());
        _heldFaultId = held.Fault.FaultId;
    }

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [RootFact]
    public async Task EveryGrpcMethod_SeededBadInputs_AnswerAClientErrorAndWriteNothingOnARefusal()
    {
        // SetEmergencyStop last: an engaged stop refuses every later injection.
        var methods = FaultInjection.Agent.V1.FaultAgent.Descriptor.Methods.OrderBy(m => m.Name == "SetEmergencyStop").ToList();
        var failures = new List<string>();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var state = await StateAsync();
        foreach (var method in methods)
        {
            foreach (var seed in Seeds)
            {
                var fuzzer = new AgentRequestFuzzer(seed * 7919 + method.Index);
                var real = seed % 4 == 0;
                var (request, keep) = ValidRequest(method, real);
                fuzzer.MutateFields(request, keep);
                var wire = fuzzer.WireBytes(request);
                var case_ = $"{method.Name} {fuzzer.Describe(request, wire)}";
                var linesBefore = _agent.KernelLog.SnapshotContaining(_marker).Count;
                var (status, response, trailers) = await RawGrpcCall.CallAsync(_agent.Invoker, method, wire, AgentApplicationFactory.Auth());
                var after = await StateAsync();
                var newLines = _agent.KernelLog.SnapshotContaining(_marker).Skip(linesBefore).ToList();
                outcomes[$"{method.Name} {status.StatusCode}"] = outcomes.GetValueOrDefault($"{method.Name} {status.StatusCode}") + 1;
                if (status.StatusCode == StatusCode.OK)
                {
                    var problem = CheckOk(method, response!, newLines);
                    if (problem is not null)
                    {
                        failures.Add($"{case_}: OK but {problem}");
                    }
                }
                else
                {
                    if (!ClientErrors.Contains(status.StatusCode))
                    {
                        failures.Add($"{case_}: {status.StatusCode} \"{status.Detail}\"");
                    }
                    else if (MissingDetail(status, trailers) is { } missing)
                    {
                        failures.Add($"{case_}: {status.StatusCode} \"{status.Detail}\" {missing}");
                    }

                    if (after != state || newLines.Count != 0)
                    {
                        failures.Add($"{case_}: refused ({status.StatusCode}) but wrote: {newLines.Count} kernel lines, state before\n{state}\nafter\n{after}");
                    }
                }

                state = after;
            }
        }

        output.WriteLine("outcomes: " + string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}")));
        Assert.True(failures.Count == 0, $"{failures.Count} of {methods.Count * Seeds.Length} cases failed:\n" + string.Join("\n", failures) + "\noutcomes: " + string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}")));
    }

    /// <summary>What an OK injection must have written: its marked records exactly (none for a dry run or a replay).</summary>
    private string? CheckOk(MethodDescriptor method, byte[] response, List<string> newLines)
    {
        if (method.OutputType.FullName != InjectResponse.Descriptor.FullName)
        {
            return null;
        }

        var answer = InjectResponse.Parser.ParseFrom(response);
        var answered = answer.Fault.Records.Select(r => r.Text).Where(t => t.Contains(_marker, StringComparison.Ordinal)).ToList();
        if (answer.DryRun || answer.Replayed)
        {
            return newLines.Count == 0 ? null : $"a {(answer.DryRun ? "dry run" : "replay")} wrote {newLines.Count} kernel lines";
        }

        return answered.Order(StringComparer.Ordinal).SequenceEqual(newLines.Order(StringComparer.Ordinal), StringComparer.Ordinal)
            ? null
            : $"answered records [{string.Join(" | ", answered)}] but the kernel log got [{string.Join(" | ", newLines)}]";
    }

    /// <summary>A refusal names what was wrong: INVALID_ARGUMENT a BadRequest field violation, any other a message.</summary>
    private static string? MissingDetail(RpcStatus status, Metadata trailers)
    {
        if (string.IsNullOrWhiteSpace(status.Detail))
        {
            return "has no message";
        }

        if (status.StatusCode != StatusCode.InvalidArgument)
        {
            return null;
        }

        var details = trailers.GetValueBytes("grpc-status-details-bin");
        if (details is null)
        {
            return "has no grpc-status-details-bin";
        }

        var rich = Google.Rpc.Status.Parser.ParseFrom(details);
        var fields = rich.Details.Where(d => d.Is(BadRequest.Descriptor)).SelectMany(d => d.Unpack<BadRequest>().FieldViolations).Select(v => v.Field).ToList();
        return fields.Count > 0 && fields.All(f => !string.IsNullOrEmpty(f)) ? null : "has no BadRequest field violation naming the field";
    }

    /// <summary>A request that succeeds, and the fields the fuzzer leaves alone (dry_run; a real write's marker).</summary>
    private (IMessage Request, HashSet<string> Keep) ValidRequest(MethodDescriptor method, bool real)
    {
        var marked = "p" + _marker;
        return method.Name switch
        {
            "InjectXid" => (new InjectXidRequest { Xid = 79, GpuId = 0, Pid = 4242, ProcessName = _marker, DryRun = !real }, real ? ["dry_run", "process_name", "pid", "duration"] : ["dry_run"]),
            "InjectSxid" => (new InjectSxidRequest { Sxid = 12028, Nvswitch = 0, Link = 3, Message = marked, DryRun = !real }, real ? ["dry_run", "message", "duration"] : ["dry_run"]),
            "InjectDcgmField" => (new DcgmInjectFieldRequest { GpuId = 0, Field = "DCGM_FI_DEV_XID_ERRORS", Value = "79", DryRun = true }, ["dry_run"]),
            "ClearFault" => (new ClearFaultRequest { FaultId = _heldFaultId, Reason = _marker }, []),
            "GetFault" => (new GetFaultRequest { FaultId = _heldFaultId }, []),
            "SetEmergencyStop" => (new SetEmergencyStopRequest { State = new EmergencyStopState { Engaged = false, Version = 1, Reason = _marker, ChangedAt = Timestamp.FromDateTime(DateTime.UtcNow) } }, []),
            "StartBugReport" => (new StartBugReportRequest { Trigger = _marker }, []),
            _ => ((IMessage)Activator.CreateInstance(method.InputType.ClrType)!, []),
        };
    }

    /// <summary>What a write could change: faults (id and state), audit events, the stop, the bug reports (by id).</summary>
    private async Task<string> StateAsync()
    {
        var auth = AgentApplicationFactory.Auth();
        var faults = await _agent.Client.ListFaultsAsync(new ListFaultsRequest(), auth);
        var stop = await _agent.Client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), auth);
        var reports = await _agent.Client.ListBugReportsAsync(new ListBugReportsRequest(), auth);
        var audit = await _agent.Client.ListAuditEventsAsync(new ListAuditEventsRequest(), auth);
        return string.Join(
            "\n",
            "faults: " + string.Join(", ", faults.Faults.Select(f => $"{f.FaultId} {f.State}")),
            $"stop: {stop.Engaged} {stop.Version} {stop.Reason}",
            "reports: " + string.Join(", ", reports.Reports.Select(r => r.ReportId)),
            "audit: " + string.Join(", ", audit.Events.Select(e => $"{e.Action} {e.FaultId} {e.Result}")));
    }
}
