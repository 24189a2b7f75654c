using FaultAgent.HostProcesses;
using FaultAgent.Injection;
using FaultAgent.Tests.Infrastructure;

namespace FaultAgent.Tests.Injection;

[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class HostMountNamespaceTests
{
    [RootFact]
    public async Task RunAsync_TargetNamespace_SeesFileOnlyVisibleThereAndLeavesOurNamespaceAlone()
    {
        using var target = new TargetNamespaceProcess();
        var directory = Path.Combine(Path.GetTempPath(), "fa-ns-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var marker = Path.Combine(directory, "only-in-target");
            target.RunInside("mount", "-t", "tmpfs", "tmpfs", directory);
            target.RunInside("touch", marker);
            var processBefore = TargetNamespaceProcess.MountNamespaceOf("self");
            var poolBefore = await Task.Run(() => TargetNamespaceProcess.MountNamespaceOf("thread-self"));

            using var hostNamespace = new HostMountNamespace(target.Pid);
            var (seen, threadNamespace) = await hostNamespace.RunAsync(
                () => (File.Exists(marker), TargetNamespaceProcess.MountNamespaceOf("thread-self")), CancellationToken.None);

            Assert.True(seen);
            Assert.False(File.Exists(marker));
            Assert.Equal(TargetNamespaceProcess.MountNamespaceOf(target.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)), threadNamespace);
            Assert.NotEqual(processBefore, threadNamespace);
            Assert.Equal(processBefore, TargetNamespaceProcess.MountNamespaceOf("self"));
            Assert.Equal(processBefore, TargetNamespaceProcess.MountNamespaceOf("thread-self"));
            var poolAfter = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => TargetNamespaceProcess.MountNamespaceOf("thread-self"))));
            Assert.All(poolAfter, ns => Assert.Equal(poolBefore, ns));
            Assert.Equal(processBefore, poolBefore);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [RootFact]
    public async Task RunAsync_ManyCalls_RunInOrderOnOneThread()
    {
        using var target = new TargetNamespaceProcess();
        using var hostNamespace = new HostMountNamespace(target.Pid);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            hostNamespace.RunAsync(() => (i, Environment.CurrentManagedThreadId), CancellationToken.None)));

        Assert.Single(results.Select(r => r.CurrentManagedThreadId).Distinct());
    }

    [RootFact]
    public async Task RunAsync_ItemsQueuedWhileTheThreadWorks_AllRunInOrderAfterIt()
    {
        using var target = new TargetNamespaceProcess();
        using var hostNamespace = new HostMountNamespace(target.Pid);
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var order = new List<int>();
        var first = hostNamespace.RunAsync(() =>
        {
            started.Set();
            release.Wait();
            order.Add(0);
            return 0;
        }, CancellationToken.None);
        started.Wait();

        // Queued while the thread is busy, from several threads at once: none may be lost or left asleep.
        var rest = Enumerable.Range(1, 40).AsParallel().Select(i => hostNamespace.RunAsync(() =>
        {
            order.Add(i);
            return i;
        }, CancellationToken.None)).ToArray();
        release.Set();
        await first;
        var results = await Task.WhenAll(rest);

        Assert.Equal(Enumerable.Range(1, 40), results.Order());
        Assert.Equal(41, order.Count);
        Assert.Equal(0, order[0]);

        // Idle now (asleep on its event): the next item wakes it.
        Assert.Equal(7, await hostNamespace.RunAsync(() => 7, CancellationToken.None));
    }

    [RootFact]
    public async Task Dispose_ItemsStillQueued_EachRunsOrFailsWithObjectDisposed()
    {
        using var target = new TargetNamespaceProcess();
        var hostNamespace = new HostMountNamespace(target.Pid);
        using var release = new ManualResetEventSlim();
        var blocker = hostNamespace.RunAsync(() => release.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None);
        var queued = Enumerable.Range(0, 10).Select(i => hostNamespace.RunAsync(() => i, CancellationToken.None)).ToList();

        var dispose = Task.Run(hostNamespace.Dispose);
        release.Set();
        await dispose;
        await blocker;

        foreach (var item in queued)
        {
            var outcome = await Record.ExceptionAsync(() => item);
            Assert.True(outcome is null or ObjectDisposedException, $"unexpected {outcome}");
        }

        Assert.Throws<ObjectDisposedException>(() => { _ = hostNamespace.RunAsync(() => 1, CancellationToken.None); });
    }

    [RootFact]
    public async Task RunAsync_WorkThrows_ExceptionReachesCallerThreadSurvives()
    {
        using var target = new TargetNamespaceProcess();
        using var hostNamespace = new HostMountNamespace(target.Pid);

        await Assert.ThrowsAsync<InvalidOperationException>(() => hostNamespace.RunAsync<int>(() => throw new InvalidOperationException("boom"), CancellationToken.None));
        Assert.Equal(7, await hostNamespace.RunAsync(() => 7, CancellationToken.None));
    }

    [RootFact]
    public async Task RunAsync_NoSuchProcess_ThrowsHostNamespaceUnavailableNamingPath()
    {
        using var hostNamespace = new HostMountNamespace(int.MaxValue - 7);

        var error = await Assert.ThrowsAsync<HostNamespaceUnavailableException>(() => hostNamespace.RunAsync(() => 1, CancellationToken.None));

        Assert.Contains($"/proc/{int.MaxValue - 7}/ns/mnt", error.Message, StringComparison.Ordinal);
        Assert.Contains("ENOENT", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task RunAsync_Cancelled_NotRun()
    {
        using var target = new TargetNamespaceProcess();
        using var hostNamespace = new HostMountNamespace(target.Pid);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        var ran = false;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hostNamespace.RunAsync(() => ran = true, cancellation.Token));

        Assert.False(ran);
    }

    [RootFact]
    public async Task DevKmsgKernelLog_TargetWithoutKmsg_ThrowsUnavailableWithEnoent()
    {
        using var target = new TargetNamespaceProcess();
        target.RunInside("mount", "-t", "tmpfs", "tmpfs", "/dev");
        using var hostNamespace = new HostMountNamespace(target.Pid);
        using var kernelLog = new DevKmsgKernelLog(hostNamespace, TimeProvider.System);
        var marker = Guid.NewGuid().ToString("N");
        using var recorder = KernelLogRecorder.Start();

        var error = await Assert.ThrowsAsync<KernelLogUnavailableException>(() =>
            kernelLog.WriteVerifiedAsync([new KernelLogLine(4, "NVRM: NVRM: test " + marker)], CancellationToken.None));

        Assert.Contains("/dev/kmsg", error.Message, StringComparison.Ordinal);
        Assert.Contains("ENOENT", error.Message, StringComparison.Ordinal);
        Assert.Empty(recorder.SnapshotContaining(marker));
    }
}
