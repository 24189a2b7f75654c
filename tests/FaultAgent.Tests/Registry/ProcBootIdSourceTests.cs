using FaultAgent.Hosting;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Registry;

public sealed class ProcBootIdSourceTests
{
    [Fact]
    public async Task GetBootId_DefaultFile_ReturnsTheKernelsBootId()
    {
        var source = new ProcBootIdSource(Options.Create(new AgentOptions { NodeName = "n" }));

        var bootId = await source.GetBootIdAsync(CancellationToken.None);

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", bootId);
        Assert.Equal(bootId, await source.GetBootIdAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetBootId_MissingFile_ThrowsNamingThePath()
    {
        var source = new ProcBootIdSource(Options.Create(new AgentOptions { NodeName = "n", BootIdFile = "/nonexistent-proc/sys/kernel/random/boot_id" }));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => source.GetBootIdAsync(CancellationToken.None).AsTask());

        Assert.Contains("/nonexistent-proc/sys/kernel/random/boot_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetBootId_FileRewrittenInPlace_ReturnsTheNewId()
    {
        using var directory = new TestDirectory();
        var file = Path.Combine(directory.Path, "boot_id");
        await File.WriteAllTextAsync(file, "11111111-1111-1111-1111-111111111111\n");
        using var source = new ProcBootIdSource(Options.Create(new AgentOptions { NodeName = "n", BootIdFile = file }));
        Assert.Equal("11111111-1111-1111-1111-111111111111", await source.GetBootIdAsync(CancellationToken.None));

        await File.WriteAllTextAsync(file, "22222222-2222-2222-2222-222222222222\n");

        Assert.Equal("22222222-2222-2222-2222-222222222222", await source.GetBootIdAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetBootId_FileReplacedByRename_ReturnsTheNewId()
    {
        using var directory = new TestDirectory();
        var file = Path.Combine(directory.Path, "boot_id");
        await File.WriteAllTextAsync(file, "11111111-1111-1111-1111-111111111111\n");
        using var source = new ProcBootIdSource(Options.Create(new AgentOptions { NodeName = "n", BootIdFile = file }));
        Assert.Equal("11111111-1111-1111-1111-111111111111", await source.GetBootIdAsync(CancellationToken.None));

        // The descriptor the source keeps still names the old file: it must notice the file has no name left.
        await File.WriteAllTextAsync(file + ".new", "33333333-3333-3333-3333-333333333333\n");
        File.Move(file + ".new", file, overwrite: true);

        Assert.Equal("33333333-3333-3333-3333-333333333333", await source.GetBootIdAsync(CancellationToken.None));
    }
}
