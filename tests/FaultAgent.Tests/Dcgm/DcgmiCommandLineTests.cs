using FaultAgent.Dcgm;
using FaultAgent.HostProcesses;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Dcgm;

public sealed class DcgmiCommandLineTests
{
    private static DcgmiCommandLine Commands(DcgmOptions options) =>
        new(Options.Create(options), Options.Create(new HostToolsOptions { ChrootPath = "/usr/sbin/chroot" }));

    [Fact]
    public void Commands_Defaults_ArgumentListsWithoutHostTimeoutAndOutputBound()
    {
        var commands = Commands(new DcgmOptions());

        var discovery = commands.Discovery();
        var read = commands.ReadField(3, 230);
        var inject = commands.Inject(3, 230, 79);

        Assert.Equal("/usr/bin/dcgmi", discovery.Program);
        Assert.Equal(["discovery", "-l"], discovery.Arguments);
        Assert.Equal(["dmon", "-e", "230", "-i", "3", "-c", "1"], read.Arguments);
        Assert.Equal(["test", "--inject", "--gpuid", "3", "-f", "230", "-v", "79"], inject.Arguments);
        Assert.All(new[] { discovery, read, inject }, c =>
        {
            Assert.Equal(TimeSpan.FromSeconds(30), c.Timeout);
            Assert.Equal(256 * 1024, c.MaxOutputBytes);
        });
    }

    [Fact]
    public void Commands_HostEngineAndDriverRoot_ChrootThenDcgmiWithHostLast()
    {
        var commands = Commands(new DcgmOptions { HostEngineAddress = "unix:///run/nvidia/dcgm.sock", DriverRoot = "/run/dcgm-root", CommandTimeout = TimeSpan.FromSeconds(5) });

        var inject = commands.Inject(0, 311, 2);

        Assert.Equal("/usr/sbin/chroot", inject.Program);
        Assert.Equal(["/run/dcgm-root", "/usr/bin/dcgmi", "test", "--inject", "--gpuid", "0", "-f", "311", "-v", "2", "--host", "unix:///run/nvidia/dcgm.sock"], inject.Arguments);
        Assert.Equal(TimeSpan.FromSeconds(5), inject.Timeout);
    }
}
