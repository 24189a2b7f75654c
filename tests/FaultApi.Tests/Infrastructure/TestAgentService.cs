using System.Collections.Concurrent;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using StatusCode = Grpc.Core.StatusCode;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// The agent side of the contract for the API's tests, served over real gRPC on real Kestrel by <see cref="TestAgent"/>.
/// It checks the bearer credential, records the <c>x-fault-caller</c>, validates the Xid against a catalog (field
/// violations in google.rpc.BadRequest), deduplicates by fault id and idempotency key, answers dry runs without recording,
/// and counts every line it "writes" (<see cref="WrittenLines"/>) so tests can prove nothing is written twice.
/// It stands in where the real agent cannot be made to misbehave on demand (a hang for deadlines, a response lost after
/// the write) and keeps the many-node routing tests fast; the main paths also run against real agent processes
/// (<c>RealAgentTests</c>).
/// </summary>
public sealed class TestAgentService(string nodeName, string agentToken)
{
    private static readonly Dictionary<int, (string Name, string Message)> Xids = new()
    {
        [13] = ("Graphics Engine Exception", "Graphics SM Warp Exception on (GPC 0, TPC 0, SM 0): Out Of Range Address"),
        [31] = ("GPU memory page fault", "Ch 00000010, intr 10000000. MMU Fault: ENGINE GRAPHICS GPCCLIENT_T1_0 faulted @ 0x7f_e0000000."),
        [48] = ("Double Bit ECC Error", "An uncorrectable double bit error (DBE) has been detected on GPU in the framebuffer at partition 6, subpartition 0."),
        [79] = ("GPU has fallen off the bus", "GPU has fallen off the bus."),
        [94] = ("Contained ECC error", "Contained: SM (0x1). RST: No, D-RST: No"),
        [119] = ("GSP RPC Timeout", "Timeout after 6s of waiting for RPC response from GPU0 GSP!"),
    };

    private readonly ConcurrentDictionary<string, Fault> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Fingerprint, InjectResponse Response)> _byKey = new(StringComparer.Ordinal);
    private readonly Lock _writeGate = new();
    private ulong _sequence = 1000;
    private int _written;
    private int _loseResponses;
    private int _calls;
    private int _injectCalls;
    private int _clearCalls;
    private HeldAnswer? _heldListAnswer;

    public string NodeName { get; } = nodeName;

    public int GpuCount { get; set; } = 2;

    /// <summary>Lines written to the (simulated) kernel log so far.</summary>
    public int WrittenLines => Volatile.Read(ref _written);

    /// <summary>Callers seen in <c>x-fault-caller</c>.</summary>
    public ConcurrentQueue<string> Callers { get; } = new();

    /// <summary>When set, injections write and record, then answer UNAVAILABLE this many times (a lost response).</summary>
    public int LoseResponses
    {
        get => Volatile.Read(ref _loseResponses);
        set => Volatile.Write(ref _loseResponses, value);
    }

    /// <summary>When set, every call waits until the caller gives up (for deadline tests).</summary>
    public bool Hang { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>When set, the next ListFaults answer is taken at once and sent when the hold is released (then the hold is gone).</summary>
    public HeldAnswer? HoldNextListAnswer
    {
        get => Volatile.Read(ref _heldListAnswer);
        set => Volatile.Write(ref _heldListAnswer, value);
    }

    /// <summary>InjectXid/InjectSxid calls received (retries included).</summary>
    public int InjectCalls => Volatile.Read(ref _injectCalls);

    /// <summary>ClearFault calls that reached the service (authenticated).</summary>
    public int ClearCalls => Volatile.Read(ref _clearCalls);

    public Task<InjectResponse> InjectXid(InjectXidRequest request, ServerCallContext context) => Run(context, () =>
    {
        var violations = new List<BadRequest.Types.FieldViolation>();
        if (!Xids.TryGetValue(request.Xid, out var entry) && string.IsNullOrEmpty(request.Message))
        {
            violations.Add(new() { Field = "xid", Description = $"Xid {request.Xid} is not in the catalog; give a message to inject it anyway" });
        }

        if (request.Message.Any(c => c < ' ' || c > '~'))
        {
            violations.Add(new() { Field = "message", Description = "must be printable ASCII" });
        }

        ThrowIfInvalid(violations);
        if (request.GpuId < 0 || request.GpuId >= GpuCount)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, $"node {NodeName} has no GPU {request.GpuId}"));
        }

        var pci = Pci(request.GpuId);
        var message = string.IsNullOrEmpty(request.Message) ? entry.Message : request.Message;
        var line = $"NVRM: Xid (PCI:{pci[..^2]}): {request.Xid}, pid='<unknown>', name=<unknown>, {message}";
        return Inject(context, request.FaultId, request.IdempotencyKey, request.ToString(), request.DryRun, request.Duration, new Fault
        {
            Kind = FaultKind.Xid,
            Code = request.Xid,
            FaultType = $"gpu_xid_{request.Xid}",
            GpuId = request.GpuId,
            PciBusId = pci,
            GpuUuid = $"GPU-{NodeName}-{request.GpuId}",
            Message = message,
            Line = line,
            Severity = "critical",
            RecommendedAction = "RESTART_BM",
        });
    });

    public Task<InjectResponse> InjectSxid(InjectSxidRequest request, ServerCallContext context) => Run(context, () =>
    {
        if (request.Sxid is < 11000 or > 30000)
        {
            ThrowIfInvalid([new() { Field = "sxid", Description = $"SXid {request.Sxid} is not in the catalog" }]);
        }

        var pci = string.IsNullOrEmpty(request.PciBusId) ? $"0000:0{request.Nvswitch}:00.0" : request.PciBusId;
        var message = string.IsNullOrEmpty(request.Message) ? "Non-fatal, Link 0 egress non-posted PRIV error" : request.Message;
        return Inject(context, request.FaultId, request.IdempotencyKey, request.ToString(), request.DryRun, request.Duration, new Fault
        {
            Kind = FaultKind.Sxid,
            Code = request.Sxid,
            FaultType = $"nvswitch_sxid_{request.Sxid}",
            PciBusId = pci,
            Nvswitch = request.Nvswitch,
            Link = request.Link,
            Message = message,
            Line = $"nvidia-nvswitch{request.Nvswitch}: SXid (PCI:{pci}): {request.Sxid}, {message}",
        });
    });

    public async Task<ListFaultsResponse> ListFaults(ListFaultsRequest request, ServerCallContext context)
    {
        var response = await Run(context, () =>
        {
            var answer = new ListFaultsResponse { NodeName = NodeName };
            answer.Faults.AddRange(_faults.Values.Where(f => !request.ActiveOnly || f.State == FaultState.Active).OrderBy(f => f.FaultId, StringComparer.Ordinal));
            return answer;
        });
        if (Interlocked.Exchange(ref _heldListAnswer, null) is { } held)
        {
            await held.HoldAsync(context.CancellationToken);
        }

        return response;
    }

    public Task<Fault> GetFault(GetFaultRequest request, ServerCallContext context) => Run(context, () =>
    {
        CheckFaultId(request.FaultId);
        return _faults.TryGetValue(request.FaultId, out var fault) ? fault : throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, $"no fault {request.FaultId} on {NodeName}"));
    });

    public Task<Fault> ClearFault(ClearFaultRequest request, ServerCallContext context) => Run(context, () =>
    {
        Interlocked.Increment(ref _clearCalls);
        CheckFaultId(request.FaultId);
        if (!_faults.TryGetValue(request.FaultId, out var fault))
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, $"no fault {request.FaultId} on {NodeName}"));
        }

        var cleared = fault.Clone();
        if (cleared.State == FaultState.Active)
        {
            cleared.State = FaultState.Cleared;
            cleared.EndedAt = Timestamp.FromDateTime(DateTime.UtcNow);
            cleared.EndedReason = request.Reason;
        }

        _faults[request.FaultId] = cleared;
        return cleared;
    });

    public Task<ListGpusResponse> ListGpus(ListGpusRequest request, ServerCallContext context) => Run(context, () =>
    {
        var response = new ListGpusResponse { NodeName = NodeName, BootId = "boot-" + NodeName };
        for (var i = 0; i < GpuCount; i++)
        {
            response.Gpus.Add(new FaultInjection.Agent.V1.Gpu { GpuId = i, PciBusId = Pci(i), XidPci = Pci(i)[..^2], Uuid = $"GPU-{NodeName}-{i}", Model = "NVIDIA H100 80GB HBM3" });
        }

        return response;
    });

    public Task<Catalog> GetCatalog(GetCatalogRequest request, ServerCallContext context) => Run(context, () =>
    {
        var catalog = new Catalog();
        catalog.Xids.AddRange(Xids.Select(x => new XidCatalogEntry { Xid = x.Key, Name = x.Value.Name, DefaultMessage = x.Value.Message, Severity = "critical", RecommendedAction = "RESTART_BM", Level = 3 }));
        catalog.Sxids.Add(new SxidCatalogEntry { Sxid = 12028, Name = "Link egress non-posted PRIV error", Fatal = false, DefaultMessage = "Non-fatal, Link 0 egress non-posted PRIV error" });
        return catalog;
    });

    private static string Pci(int gpuId) => $"0000:{0x3b + gpuId:x2}:00.0";

    private static void CheckFaultId(string id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            ThrowIfInvalid([new() { Field = "fault_id", Description = "must be 1 to 128 characters from [A-Za-z0-9._-]" }]);
        }
    }

    private static void ThrowIfInvalid(List<BadRequest.Types.FieldViolation> violations)
    {
        if (violations.Count == 0)
        {
            return;
        }

        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations);
        throw new Google.Rpc.Status
        {
            Code = (int)Google.Rpc.Code.InvalidArgument,
            Message = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")),
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }

    private InjectResponse Inject(ServerCallContext context, string faultId, string key, string fingerprintSource, bool dryRun, Duration? duration, Fault fault)
    {
        Interlocked.Increment(ref _injectCalls);
        var fingerprint = string.IsNullOrEmpty(key) ? fingerprintSource : fingerprintSource.Replace(key, "", StringComparison.Ordinal);
        lock (_writeGate)
        {
            if (!string.IsNullOrEmpty(key) && _byKey.TryGetValue(key, out var previous))
            {
                if (previous.Fingerprint != fingerprint)
                {
                    throw new RpcException(new Grpc.Core.Status(StatusCode.AlreadyExists, $"idempotency key {key} was used for a different request"));
                }

                return LoseResponseOr(new InjectResponse { Fault = previous.Response.Fault, Replayed = true, DryRun = previous.Response.DryRun });
            }

            if (!string.IsNullOrEmpty(faultId) && !dryRun && _faults.TryGetValue(faultId, out var existing))
            {
                return new InjectResponse { Fault = existing, Replayed = true };
            }

            var now = DateTime.UtcNow;
            fault.FaultId = string.IsNullOrEmpty(faultId) ? $"fault-{Guid.NewGuid():N}"[..20] : faultId;
            fault.NodeName = NodeName;
            fault.State = FaultState.Active;
            fault.InjectedAt = Timestamp.FromDateTime(now);
            fault.ExpiresAt = duration is null ? null : Timestamp.FromDateTime(now + duration.ToTimeSpan());
            fault.Caller = "fault-api/" + context.RequestHeaders.GetValue("x-fault-caller");
            fault.IdempotencyKey = key;
            fault.BootId = "boot-" + NodeName;
            fault.Records.Add(new KernelLogRecord
            {
                Text = "NVRM: " + fault.Line,
                Level = 3,
                Facility = 1,
                Sequence = dryRun ? 0 : ++_sequence,
                TimestampUs = dryRun ? 0 : (ulong)Environment.TickCount64 * 1000,
                ObservedAt = Timestamp.FromDateTime(now),
            });
            var response = new InjectResponse { Fault = fault, DryRun = dryRun };
            if (dryRun)
            {
                return response;
            }

            Interlocked.Increment(ref _written);
            _faults[fault.FaultId] = fault;
            if (!string.IsNullOrEmpty(key))
            {
                _byKey[key] = (fingerprint, response);
            }

            return LoseResponseOr(response);
        }
    }

    private InjectResponse LoseResponseOr(InjectResponse response)
    {
        if (Interlocked.Decrement(ref _loseResponses) >= 0)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "connection reset after the write"));
        }

        Interlocked.Exchange(ref _loseResponses, 0);
        return response;
    }

    private async Task<T> Run<T>(ServerCallContext context, Func<T> action)
    {
        Interlocked.Increment(ref _calls);
        var auth = context.RequestHeaders.GetValue("authorization");
        if (auth != "Bearer " + agentToken)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unauthenticated, "missing or wrong bearer token"));
        }

        Callers.Enqueue(context.RequestHeaders.GetValue("x-fault-caller") ?? "");
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        return action();
    }
}
