using FaultAgent.Hosting;
using FaultAgent.Injection;
using FaultAgent.Metrics;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaultAgent.Tests.Registry;

/// <summary>A state directory, a kernel log, a boot id and a clock that registries under test share across "restarts".</summary>
public sealed class RegistryTestContext : IDisposable
{
    private readonly List<FaultRegistry> _registries = [];

    public TestDirectory Directory { get; } = new();

    public InMemoryKernelLog KernelLog { get; } = new();

    public FixedBootIdSource BootId { get; } = new("boot-1");

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public FaultRegistryOptions Options { get; } = new();

    public string JournalPath => Path.Combine(Directory.Path, FaultJournal.FileName);

    /// <summary>
    /// A new registry over the same state, as after an agent restart (initialized). A compaction an earlier registry runs
    /// in the background is awaited first: a restarted agent's process is gone, and two registries must not compact one
    /// journal at once (a real agent holds the state directory's lock). <paramref name="clock"/> replaces <see cref="Time"/>
    /// for this registry (a node whose clock was stepped back, which a <see cref="FakeTimeProvider"/> cannot do).
    /// </summary>
    public async Task<FaultRegistry> StartAsync(TimeProvider? clock = null)
    {
        foreach (var earlier in _registries)
        {
            await earlier.CompactionUnderWay;
        }

        var registry = new FaultRegistry(
            new KernelLogPendingResolver(KernelLog, clock ?? Time),
            BootId,
            clock ?? Time,
            Microsoft.Extensions.Options.Options.Create(new AgentOptions { NodeName = "node-a", StateDirectory = Directory.Path }),
            Microsoft.Extensions.Options.Options.Create(Options),
            NullLoggerFactory.Instance);
        _registries.Add(registry);
        await registry.InitializeAsync(CancellationToken.None);
        return registry;
    }

    public FaultRecord Planned(string faultId, string text, string? idempotencyKey = null, TimeSpan? duration = null, string fingerprint = "fp-1") => new()
    {
        FaultId = faultId,
        NodeName = "node-a",
        Kind = FaultKind.Xid,
        Code = 79,
        FaultType = "gpu_xid_79",
        GpuId = 0,
        PciBusId = "0000:3b:00.0",
        GpuUuid = "GPU-1",
        Message = "GPU has fallen off the bus.",
        Line = text,
        Records = [new FaultKernelRecord(text, 3, 1, 0, 0, null)],
        InjectedAt = Time.GetUtcNow(),
        ExpiresAt = duration is { } d ? Time.GetUtcNow() + d : null,
        Caller = "api/alice",
        IdempotencyKey = idempotencyKey,
        RequestFingerprint = fingerprint,
    };

    public static IReadOnlyList<KernelLogLine> Lines(FaultRecord planned) => [.. planned.Records.Select(r => new KernelLogLine(r.Level, r.Text))];

    /// <summary>The injection pipeline over <paramref name="registry"/> and this context's kernel log and clock.</summary>
    public InjectionPipeline Pipeline(FaultRegistry registry, IInjectionGuard? guard = null, AgentMetrics? metrics = null) =>
        new(registry, KernelLog, Time, NullLogger<InjectionPipeline>.Instance, guard, metrics: metrics);

    public async Task<FaultRegistration> InjectAsync(FaultRegistry registry, FaultRecord planned) =>
        await Pipeline(registry).WriteAsync(planned, Lines(planned), CancellationToken.None);

    public void Dispose()
    {
        foreach (var registry in _registries)
        {
            registry.Dispose();
        }

        Directory.Dispose();
    }
}
