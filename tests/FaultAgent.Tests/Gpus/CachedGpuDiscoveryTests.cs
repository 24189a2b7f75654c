using FaultAgent.Gpus;
using FaultAgent.Hosting;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Gpus;

/// <summary>
/// The kept inventory over a real proc tree on disk: answered without reading while nothing changed, read again on
/// each trigger — a new boot id, a driver reload (its proc entries recreated), a driver upgrade (the version file
/// replaced), a miss (<see cref="IGpuDiscovery.RefreshAsync"/>); and a listing (<see cref="IGpuDiscovery.ListAsync"/>,
/// what <c>ListGpus</c> answers) that sees, at its next call, whatever a read would: a GPU directory added or removed, a
/// MIG instance made or destroyed, an information file rewritten.
/// </summary>
public sealed class CachedGpuDiscoveryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cached-discovery-").FullName;
    private readonly string _procRoot;
    private readonly CachedGpuDiscovery _discovery;

    public CachedGpuDiscoveryTests()
    {
        _procRoot = TestProcRoot.Create(_directory, mig: true);
        var options = Options.Create(new AgentOptions
        {
            NodeName = "n",
            ProcRoot = _procRoot,
            BootIdFile = Path.Combine(_procRoot, "sys", "kernel", "random", "boot_id"),
        });
        _discovery = new CachedGpuDiscovery(
            new ProcGpuDiscovery(options, NullLogger<ProcGpuDiscovery>.Instance),
            new ProcBootIdSource(options),
            options,
            NullLogger<CachedGpuDiscovery>.Instance);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Gpus => Path.Combine(_procRoot, "driver", "nvidia", "gpus");

    [Fact]
    public async Task DiscoverAsync_NothingChanged_AnswersWithoutReadingTheInformationFilesAgain()
    {
        var first = await _discovery.DiscoverAsync(CancellationToken.None);
        // Rewritten in place, its directory untouched: only a read of the file would see it.
        var information = Path.Combine(Gpus, "0000:3b:00.0", "information");
        await File.WriteAllTextAsync(information, (await File.ReadAllTextAsync(information)).Replace("NVIDIA H100", "Changed H100", StringComparison.Ordinal));

        var second = await _discovery.DiscoverAsync(CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(1, _discovery.Reads);
        Assert.StartsWith("NVIDIA H100", second.FindGpu(0)!.Model, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscoverAsync_DriverReloadedWithoutAGpu_ReadsAgain()
    {
        Assert.Equal([0, 1], (await _discovery.DiscoverAsync(CancellationToken.None)).Gpus.Select(g => g.GpuId));

        // A reload recreates the driver's proc entries; this one comes back without GPU 1 (0000:5e:00.0).
        var reloaded = Path.Combine(_directory, "reloaded-gpus");
        Directory.CreateDirectory(reloaded);
        Directory.Move(Path.Combine(Gpus, "0000:3b:00.0"), Path.Combine(reloaded, "0000:3b:00.0"));
        Directory.Delete(Gpus, recursive: true);
        Directory.Move(reloaded, Gpus);

        var inventory = await _discovery.DiscoverAsync(CancellationToken.None);

        Assert.Equal([0], inventory.Gpus.Select(g => g.GpuId));
        Assert.Equal(2, _discovery.Reads);
    }

    [Fact]
    public async Task DiscoverAsync_DriverUpgraded_ReadsTheNewVersion()
    {
        Assert.Equal("535.161.08", (await _discovery.DiscoverAsync(CancellationToken.None)).DriverVersion!.Text);

        var version = Path.Combine(_procRoot, "driver", "nvidia", "version");
        var replacement = version + ".new";
        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "driver", TestProcRoot.Driver570), replacement);
        File.Move(replacement, version, overwrite: true);

        var inventory = await _discovery.DiscoverAsync(CancellationToken.None);

        Assert.Equal("570.195.03", inventory.DriverVersion!.Text);
        Assert.Equal(2, _discovery.Reads);
    }

    [Fact]
    public async Task DiscoverAsync_BootIdChanged_ReadsAgain()
    {
        var before = await _discovery.DiscoverAsync(CancellationToken.None);
        var bootId = Path.Combine(_procRoot, "sys", "kernel", "random", "boot_id");
        await File.WriteAllTextAsync(bootId, Guid.NewGuid().ToString() + "\n");

        var after = await _discovery.DiscoverAsync(CancellationToken.None);

        Assert.NotSame(before, after);
        Assert.Equal(2, _discovery.Reads);
    }

    [Fact]
    public async Task RefreshAsync_MigInstanceCreatedAfterTheRead_FindsIt()
    {
        var before = await _discovery.DiscoverAsync(CancellationToken.None);
        Assert.DoesNotContain(before.FindGpu(0)!.MigInstances, i => i.GpuInstance == 5);
        // nvidia-smi mig -cgi: a new gi directory, no driver reload; the kept inventory still answers without it.
        Directory.CreateDirectory(Path.Combine(_procRoot, "driver", "nvidia", "capabilities", "gpu0", "mig", "gi5", "ci0"));
        Assert.Same(before, await _discovery.DiscoverAsync(CancellationToken.None));

        var refreshed = await _discovery.RefreshAsync(CancellationToken.None);

        Assert.Contains(refreshed.FindGpu(0)!.MigInstances, i => i.GpuInstance == 5);
        Assert.Same(refreshed, await _discovery.DiscoverAsync(CancellationToken.None));
        Assert.Equal(2, _discovery.Reads);
    }

    [Fact]
    public async Task ListAsync_NothingChanged_AnswersWithoutReadingAgain()
    {
        await _discovery.ListAsync(CancellationToken.None);
        // The first read had no earlier one to stamp its GPUs' files before it: the second reads once more to vouch for them.
        var kept = await _discovery.ListAsync(CancellationToken.None);
        var reads = _discovery.Reads;

        var again = await _discovery.ListAsync(CancellationToken.None);

        Assert.Same(kept, again);
        Assert.Same(kept, await _discovery.DiscoverAsync(CancellationToken.None));
        Assert.Equal(reads, _discovery.Reads);
    }

    [Fact]
    public async Task ListAsync_GpuDirectoryAdded_ListsTheNewGpu()
    {
        await ListTwiceAsync();
        var information = await File.ReadAllTextAsync(Path.Combine(Gpus, "0000:3b:00.0", "information"));
        var added = Path.Combine(Gpus, "0000:86:00.0");
        Directory.CreateDirectory(added);
        await File.WriteAllTextAsync(Path.Combine(added, "information"), information
            .Replace("0000:3b:00.0", "0000:86:00.0", StringComparison.Ordinal)
            .Replace("Device Minor: \t 0", "Device Minor: \t 2", StringComparison.Ordinal));

        var listed = await _discovery.ListAsync(CancellationToken.None);

        Assert.Equal([0, 1, 2], listed.Gpus.Select(g => g.GpuId));
    }

    [Fact]
    public async Task ListAsync_GpuDirectoryRemoved_NoLongerListsIt()
    {
        await ListTwiceAsync();
        Directory.Delete(Path.Combine(Gpus, "0000:5e:00.0"), recursive: true);

        var listed = await _discovery.ListAsync(CancellationToken.None);

        Assert.Equal([0], listed.Gpus.Select(g => g.GpuId));
    }

    [Fact]
    public async Task ListAsync_MigInstanceCreated_ListsIt()
    {
        await ListTwiceAsync();
        // nvidia-smi mig -cgi: a new gi directory, no driver reload; the injection's rule (DiscoverAsync) keeps answering without it.
        Directory.CreateDirectory(Path.Combine(_procRoot, "driver", "nvidia", "capabilities", "gpu0", "mig", "gi5", "ci0"));

        var listed = await _discovery.ListAsync(CancellationToken.None);

        Assert.Equal([1, 2, 5], listed.FindGpu(0)!.MigInstances.Select(i => i.GpuInstance));
    }

    [Fact]
    public async Task ListAsync_ComputeInstanceDestroyed_ListsTheInstanceWithoutIt()
    {
        await ListTwiceAsync();
        Directory.Delete(Path.Combine(_procRoot, "driver", "nvidia", "capabilities", "gpu0", "mig", "gi2", "ci1"));

        var listed = await _discovery.ListAsync(CancellationToken.None);

        Assert.Equal([0], listed.FindGpu(0)!.MigInstances.Single(i => i.GpuInstance == 2).ComputeInstances);
    }

    [Fact]
    public async Task ListAsync_MigEnabledOnAGpuWithoutIt_ListsTheInstance()
    {
        await ListTwiceAsync();
        Directory.CreateDirectory(Path.Combine(_procRoot, "driver", "nvidia", "capabilities", "gpu1", "mig", "gi3", "ci0"));

        var listed = await _discovery.ListAsync(CancellationToken.None);

        Assert.Equal([3], listed.FindGpu(1)!.MigInstances.Select(i => i.GpuInstance));
    }

    [Fact]
    public async Task ListAsync_InformationFileRewrittenInPlace_ListsTheNewContent()
    {
        await ListTwiceAsync();
        var information = Path.Combine(Gpus, "0000:3b:00.0", "information");
        await File.WriteAllTextAsync(information, (await File.ReadAllTextAsync(information)).Replace("NVIDIA H100", "Changed model H100", StringComparison.Ordinal));

        var listed = await _discovery.ListAsync(CancellationToken.None);

        Assert.StartsWith("Changed model H100", listed.FindGpu(0)!.Model, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_ProblemFileFixed_ListsTheGpuWithoutTheProblem()
    {
        var information = Path.Combine(Gpus, "0000:5e:00.0", "information");
        var good = await File.ReadAllTextAsync(information);
        await File.WriteAllTextAsync(information, "not a field line\n");
        var broken = await ListTwiceAsync();
        Assert.Contains(broken.Problems, p => p.Path == information);

        await File.WriteAllTextAsync(information, good);
        var listed = await _discovery.ListAsync(CancellationToken.None);

        Assert.Equal([0, 1], listed.Gpus.Select(g => g.GpuId));
        Assert.Empty(listed.Problems);
    }

    [Fact]
    public async Task ListAsync_BootIdChanged_ReadsAgain()
    {
        var kept = await ListTwiceAsync();
        var reads = _discovery.Reads;
        await File.WriteAllTextAsync(Path.Combine(_procRoot, "sys", "kernel", "random", "boot_id"), Guid.NewGuid().ToString() + "\n");

        var listed = await _discovery.ListAsync(CancellationToken.None);

        Assert.NotSame(kept, listed);
        Assert.Equal(reads + 1, _discovery.Reads);
    }

    /// <summary>Two listings: the second one's read is stamped before it, so the kept inventory vouches for a listing from then on.</summary>
    private async Task<GpuInventory> ListTwiceAsync()
    {
        await _discovery.ListAsync(CancellationToken.None);
        var kept = await _discovery.ListAsync(CancellationToken.None);
        Assert.Same(kept, await _discovery.ListAsync(CancellationToken.None));
        return kept;
    }
}
