namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// A host /proc as the agent reads it, written under a test directory: two H100s (Device Minor 0 at 0000:3b:00.0,
/// 1 at 0000:5e:00.0, from TestData/gpu-information-h100.txt), one NVSwitch (instance 0 at 0000:4e:00.0), and the
/// machine's real <c>sys/kernel/random/boot_id</c>.
/// </summary>
public static class TestProcRoot
{
    public const string Gpu0Uuid = "GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b";

    public static string Create(string directory)
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
        File.Copy("/proc/sys/kernel/random/boot_id", Path.Combine(random, "boot_id"));
        return procRoot;
    }

    private static void WriteGpu(string procRoot, string pci, string information)
    {
        var gpuDirectory = Path.Combine(procRoot, "driver", "nvidia", "gpus", pci);
        Directory.CreateDirectory(gpuDirectory);
        File.WriteAllText(Path.Combine(gpuDirectory, "information"), information);
    }
}
