namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// A host /proc as the agent reads it, written under a test directory: two H100s (Device Minor 0 at 0000:3b:00.0,
/// 1 at 0000:5e:00.0, from TestData/gpu-information-h100.txt), one NVSwitch (instance 0 at 0000:4e:00.0), the
/// machine's real <c>sys/kernel/random/boot_id</c>, a real <c>driver/nvidia/version</c> (TestData/driver, 535.161.08
/// unless another sample or none is named) and, when asked, a MIG layout on GPU 0 as the driver lists it:
/// <c>driver/nvidia/capabilities/gpu0/mig/gi1/ci0</c>, <c>gi2/ci0</c>, <c>gi2/ci1</c>.
/// </summary>
public static class TestProcRoot
{
    public const string Gpu0Uuid = "GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b";

    public const string Driver535 = "version-535.161.08";

    public const string Driver570 = "version-570.195.03";

    public static string Create(string directory, string? driverVersionSample = Driver535, bool mig = false)
    {
        var procRoot = Path.Combine(directory, "proc");
        var template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "gpu-information-h100.txt"));
        WriteGpu(procRoot, "0000:3b:00.0", template);
        WriteGpu(
            procRoot,
            "0000:5e:00.0",
            template
                .Replace("0000:3b:00.0", "0000:5e:00.0", StringComparison.Ordinal)
                .Replace("Device Minor: \t 0", "Device Minor: \t 1", StringComparison.Ordinal)
                .Replace("GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b", "GPU-1b2c3d4e-0000-1111-2222-333344445555", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(procRoot, "driver", "nvidia-nvswitch", "devices", "0000:4e:00.0"));
        var random = Path.Combine(procRoot, "sys", "kernel", "random");
        Directory.CreateDirectory(random);
        // The machine's boot id, written as a file the tests may replace (a copy would keep procfs's mode 0444, which only
        // root writes through).
        File.WriteAllText(Path.Combine(random, "boot_id"), File.ReadAllText("/proc/sys/kernel/random/boot_id"));
        if (driverVersionSample is not null)
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "driver", driverVersionSample), Path.Combine(procRoot, "driver", "nvidia", "version"));
        }

        if (mig)
        {
            foreach (var instance in (string[])["gi1/ci0", "gi2/ci0", "gi2/ci1"])
            {
                Directory.CreateDirectory(Path.Combine(procRoot, "driver", "nvidia", "capabilities", "gpu0", "mig", instance));
            }
        }

        return procRoot;
    }

    private static void WriteGpu(string procRoot, string pci, string information)
    {
        var gpuDirectory = Path.Combine(procRoot, "driver", "nvidia", "gpus", pci);
        Directory.CreateDirectory(gpuDirectory);
        File.WriteAllText(Path.Combine(gpuDirectory, "information"), information);
    }
}
