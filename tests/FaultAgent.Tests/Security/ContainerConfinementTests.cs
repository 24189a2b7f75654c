using FaultAgent.Tests.Infrastructure;

namespace FaultAgent.Tests.Security;

/// <summary>
/// Why the agent's pod is privileged, measured on this kernel rather than assumed: the agent's path to the host's kernel
/// log (open PID 1's mount namespace, setns into it, write /dev/kmsg, read it back) run for real from a process confined
/// as a non-privileged container with capabilities would be (<see cref="ContainerConfinement"/>), against a target
/// process of our own in its own mount namespace (standing for the host's PID 1).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class ContainerConfinementTests : IDisposable
{
    private static readonly string[] ListedBefore = ["SYS_ADMIN", "SYS_PTRACE", "SYSLOG"];
    private static readonly string[] Needed = ["SYS_ADMIN", "SYS_CHROOT", "SYS_PTRACE", "SYSLOG"];
    private readonly TargetNamespaceProcess _target = new();
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the probe writes: dmesg afterwards may have lost it to other writers

    public void Dispose()
    {
        _target.Dispose();
        _kernelLog.Dispose();
    }

    [RootFact]
    public async Task EnterHostMountNamespace_WithTheThreeCapabilitiesTheReadmeListed_IsRefused_SysChrootIsNeededToo()
    {
        using var container = new ContainerConfinement(ListedBefore, deviceCgroup: false);

        var (exitCode, output) = await container.RunAsync("nsenter", "--target", ContainerConfinement.Number(_target.Pid), "--mount", "--", "true");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Operation not permitted", output, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task EnterHostMountNamespace_WithoutSysPtrace_CannotOpenTheTargetsNamespace()
    {
        using var container = new ContainerConfinement(["SYS_ADMIN", "SYS_CHROOT", "SYSLOG"], deviceCgroup: false);

        var (exitCode, output) = await container.RunAsync("nsenter", "--target", ContainerConfinement.Number(_target.Pid), "--mount", "--", "true");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Permission denied", output.Replace("Operation not permitted", "Permission denied", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task WriteHostKernelLog_WithTheNeededCapabilitiesAndAllDevices_Lands()
    {
        var marker = $"confinement-probe-{Guid.NewGuid():N}";
        using var container = new ContainerConfinement(Needed, deviceCgroup: false);

        var (exitCode, output) = await container.RunAsync("nsenter", "--target", ContainerConfinement.Number(_target.Pid), "--mount", "--", "sh", "-c", $"printf '<6>{marker} privileged path\\n' > /dev/kmsg");

        Assert.True(exitCode == 0, output);
        Assert.Single(_kernelLog.SnapshotContaining(marker));
    }

    [RootFact]
    public async Task WriteHostKernelLog_InANonPrivilegedContainersDeviceCgroup_IsRefusedWhateverTheCapabilities()
    {
        var marker = $"confinement-probe-{Guid.NewGuid():N}";
        using var container = new ContainerConfinement(Needed, deviceCgroup: true);

        // setns() works (the capabilities suffice), but the open of /dev/kmsg (char 1:11) meets the device cgroup.
        var entered = await container.RunAsync("nsenter", "--target", ContainerConfinement.Number(_target.Pid), "--mount", "--", "true");
        var (exitCode, output) = await container.RunAsync("nsenter", "--target", ContainerConfinement.Number(_target.Pid), "--mount", "--", "sh", "-c", $"printf '<6>{marker} confined path\\n' > /dev/kmsg");

        Assert.True(entered.ExitCode == 0, entered.Output);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Operation not permitted", output, StringComparison.Ordinal);
        Assert.Empty(_kernelLog.SnapshotContaining(marker));
    }

    [RootFact]
    public async Task ReadKernelLog_WithoutSyslog_IsRefusedWhileDmesgIsRestricted()
    {
        var restricted = (await File.ReadAllTextAsync("/proc/sys/kernel/dmesg_restrict")).Trim() == "1";
        using var without = new ContainerConfinement(["SYS_ADMIN", "SYS_CHROOT", "SYS_PTRACE"], deviceCgroup: false);
        using var with = new ContainerConfinement(Needed, deviceCgroup: false);

        var refused = await without.RunAsync("dd", "if=/dev/kmsg", "of=/dev/null", "bs=8192", "count=1", "iflag=nonblock");
        var allowed = await with.RunAsync("dd", "if=/dev/kmsg", "of=/dev/null", "bs=8192", "count=1", "iflag=nonblock");

        Assert.True(Opened(allowed), allowed.Output);
        Assert.True(restricted != Opened(refused), $"dmesg_restrict {(restricted ? 1 : 0)}, without SYSLOG: {refused.Output}");
        if (restricted)
        {
            Assert.Contains("Operation not permitted", refused.Output, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Whether dd opened /dev/kmsg (the kernel's syslog check is at the open): it read a record, or its one read met EPIPE
    /// ("Broken pipe": a new reader starts at the ring's oldest record, which other writers on the log can overwrite
    /// between the open and the read).
    /// </summary>
    private static bool Opened((int ExitCode, string Output) dd) =>
        dd.ExitCode == 0 || (dd.Output.Contains("Broken pipe", StringComparison.Ordinal) && !dd.Output.Contains("Operation not permitted", StringComparison.Ordinal));
}
