using FaultAgent.Hosting;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace FaultAgent.Tests.Hosting;

/// <summary>The agent collects its start's garbage once, a second after the host has started, on a pool thread (#14, the agent's idle memory and start).</summary>
public sealed class StartupHeapCompactionTests
{
    [Fact]
    public async Task StartAsync_HostStarted_CollectsOnceOffTheStartingCall()
    {
        using var started = new CancellationTokenSource();
        using var gate = new ManualResetEventSlim();
        var time = new FakeTimeProvider();
        var collections = 0;
        var collected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var compaction = new StartupHeapCompaction(new Lifetime(started.Token), () =>
        {
            Interlocked.Increment(ref collections);
            gate.Wait(TimeSpan.FromSeconds(10));
            collected.TrySetResult();
        }, time);

        await compaction.StartAsync(CancellationToken.None);
        Assert.Equal(0, Volatile.Read(ref collections));
        started.Cancel();
        time.Advance(StartupHeapCompaction.Delay);

        // ApplicationStarted returned while the collection still waits: it did not run on the starting call.
        Assert.False(collected.Task.IsCompleted);
        gate.Set();
        await collected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, Volatile.Read(ref collections));
    }

    [Fact]
    public async Task StartAsync_HostStarted_CollectsOnlyAfterTheDelay()
    {
        using var started = new CancellationTokenSource();
        var time = new FakeTimeProvider();
        var collected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var compaction = new StartupHeapCompaction(new Lifetime(started.Token), () => collected.TrySetResult(), time);
        await compaction.StartAsync(CancellationToken.None);

        started.Cancel();
        time.Advance(StartupHeapCompaction.Delay - TimeSpan.FromMilliseconds(1));
        Assert.False(collected.Task.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await collected.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void CollectOncePerProcess_CalledAgain_DoesNotCollect()
    {
        // The first call in this process may have been made by an agent another test started; either way, it is made now.
        _ = StartupHeapCompaction.CollectOncePerProcess();

        Assert.False(StartupHeapCompaction.CollectOncePerProcess());
    }

    [Fact]
    public void Collect_ObjectsAllocatedBefore_EndInGen2()
    {
        // What the start keeps (allocated in gen0: the start runs in a no-GC region) must not stay in gen1, or the first gen1
        // collection after the start marks, relocates and compacts all of it (#14, BENCHMARKS.md agentp99: 21-25 ms, at
        // ~800 injections after a start).
        var kept = new object[16];
        Assert.Equal(0, GC.GetGeneration(kept));

        StartupHeapCompaction.Collect();

        Assert.Equal(GC.MaxGeneration, GC.GetGeneration(kept));
        GC.KeepAlive(kept);
    }

    [Fact]
    public void AddStartupHeapCompaction_Registered_IsOneHostedService()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IHostApplicationLifetime>(new Lifetime(CancellationToken.None));

        services.AddStartupHeapCompaction();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<StartupHeapCompaction>(Assert.Single(provider.GetServices<IHostedService>()));
    }

    [RootFact]
    [Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
    public async Task Agent_Started_RegistersTheCompaction()
    {
        using var target = new TargetNamespaceProcess();
        await using var factory = new AgentApplicationFactory(target.Pid);

        Assert.Single(factory.Services.GetServices<IHostedService>().OfType<StartupHeapCompaction>());
    }

    private sealed class Lifetime(CancellationToken started) : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted { get; } = started;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
