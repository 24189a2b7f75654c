using FaultAgent.Hosting;
using FaultAgent.Registry;
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
}
