using System.Globalization;
using System.Text.RegularExpressions;

namespace FaultApi.Tests.EndToEnd;

/// <summary>
/// A node's simulated <c>/proc</c>: the real H100 sample (TestData/proc/h100x8, copied from samples/nodes/gpu-node-001)
/// with every PCI device number set to the node's index (<c>0000:3a:00.0</c> → <c>0000:3a:0k.0</c>, directory names and
/// Bus Location alike) and GPU UUIDs made unique per node, so each node's GPUs have addresses no other node has.
/// </summary>
public static partial class SimulatedGpuTree
{
    private static string Sample => Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8");

    /// <summary>Writes node <paramref name="index"/>'s tree under <paramref name="root"/>; returns gpu_id → Xid PCI text (<c>0000:3a:0k</c>).</summary>
    public static IReadOnlyDictionary<int, string> Write(string root, int index)
    {
        var xidPci = new Dictionary<int, string>();
        foreach (var source in Directory.EnumerateFiles(Sample, "*", SearchOption.AllDirectories))
        {
            var relative = Rewrite(Path.GetRelativePath(Sample, source), index);
            var text = Rewrite(File.ReadAllText(source), index);
            text = GpuUuid().Replace(text, m => string.Create(CultureInfo.InvariantCulture, $"{m.Groups[1].Value}{index:x4}{m.Groups[2].Value[4..]}"));
            var target = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, text);
            if (relative.StartsWith("driver/nvidia/gpus/", StringComparison.Ordinal))
            {
                var minor = int.Parse(DeviceMinor().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
                var bus = BusLocation().Match(text).Groups[1].Value;
                xidPci[minor] = bus[..bus.LastIndexOf('.')];
            }
        }

        return xidPci;
    }

    private static string Rewrite(string text, int index) =>
        PciAddress().Replace(text, m => string.Create(CultureInfo.InvariantCulture, $"{m.Groups[1].Value}{index:x2}.{m.Groups[2].Value}"));

    [GeneratedRegex(@"([0-9a-f]{4}:[0-9a-f]{2}:)00\.([0-7])")]
    private static partial Regex PciAddress();

    [GeneratedRegex(@"(GPU-)([0-9a-f]{8})")]
    private static partial Regex GpuUuid();

    [GeneratedRegex(@"Device Minor:\s*(\d+)")]
    private static partial Regex DeviceMinor();

    [GeneratedRegex(@"Bus Location:\s*(\S+)")]
    private static partial Regex BusLocation();
}
