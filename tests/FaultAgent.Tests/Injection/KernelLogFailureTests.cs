using FaultAgent.Faults;
using FaultAgent.HostProcesses;
using FaultAgent.Injection;
using FaultAgent.Tests.Infrastructure;

namespace FaultAgent.Tests.Injection;

[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class KernelLogFailureTests
{
    [RootFact]
    public async Task WriteVerifiedAsync_WriteAcceptedButRecordNeverAppears_ThrowsRecordLost()
    {
        // A regular file in place of /dev/kmsg takes the write() and never shows a record: the "silently dropped" case.
        using var target = new TargetNamespaceProcess();
        var fakeDevice = Path.Combine(Path.GetTempPath(), "fa-kmsg-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(fakeDevice, "");
        try
        {
            using var hostNamespace = new HostMountNamespace(target.Pid);
            using var kernelLog = new DevKmsgKernelLog(hostNamespace, TimeProvider.System, null, fakeDevice) { VerifyTimeout = TimeSpan.FromMilliseconds(200) };

            var error = await Assert.ThrowsAsync<KernelLogRecordLostException>(() =>
                kernelLog.WriteVerifiedAsync([new KernelLogLine(4, "NVRM: NVRM: never lands")], CancellationToken.None));

            Assert.Contains("never lands", error.Message, StringComparison.Ordinal);
            Assert.Equal("<4>NVRM: NVRM: never lands\n", await File.ReadAllTextAsync(fakeDevice));
        }
        finally
        {
            File.Delete(fakeDevice);
        }
    }

    [RootFact]
    public async Task WriteVerifiedAsync_NoSuchTargetProcess_ThrowsUnavailable()
    {
        using var hostNamespace = new HostMountNamespace(int.MaxValue - 11);
        using var kernelLog = new DevKmsgKernelLog(hostNamespace, TimeProvider.System);

        var error = await Assert.ThrowsAsync<KernelLogUnavailableException>(() =>
            kernelLog.WriteVerifiedAsync([new KernelLogLine(4, "NVRM: NVRM: x")], CancellationToken.None));

        Assert.IsType<HostNamespaceUnavailableException>(error.InnerException);
    }

    [RootFact]
    public async Task WriteVerifiedAsync_LevelOutOfRange_Refused()
    {
        using var hostNamespace = new HostMountNamespace(int.MaxValue - 11);
        using var kernelLog = new DevKmsgKernelLog(hostNamespace, TimeProvider.System);

        var error = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            kernelLog.WriteVerifiedAsync([new KernelLogLine(8, "NVRM: NVRM: x")], CancellationToken.None));

        Assert.Equal("level", error.Field);
    }
}
