using System.Globalization;
using FaultAgent.Drivers;
using FaultAgent.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.Gpus;

/// <summary>
/// Discovers GPUs from <c>&lt;ProcRoot&gt;/driver/nvidia/gpus/&lt;pci&gt;/information</c> and NVSwitches from
/// <c>&lt;ProcRoot&gt;/driver/nvidia-nvswitch/devices/&lt;dddd:bb:dd.f&gt;/</c>. No driver directory means zero GPUs.
/// An entry that cannot be read or parsed, that has no Device Minor, or whose Device Minor is shared with another
/// entry is left out and reported in <see cref="GpuInventory.Problems"/> with its path; the others are still listed.
/// NVSwitch layout, as the nvidia-nvswitch driver creates it (kernel-open/nvidia/procfs_nvswitch.c): a <c>permissions</c>
/// file and one directory per switch named <c>%04x:%02x:%02x.%1x</c>, whose <c>information</c> file holds only
/// <c>BIOS Version: ...</c> — no minor number. The driver names a switch <c>nvidia-nvswitch&lt;minor&gt;</c> with the lowest
/// free minor when it probes it, and it probes in PCI order, so the instance number is the switch's position in PCI
/// address order (real HGX H100 lines agree: <c>nvidia-nvswitch1</c> is 0000:06:00.0, <c>nvidia-nvswitch2</c> 0000:07:00.0).
/// </summary>
public sealed class ProcGpuDiscovery(IOptions<AgentOptions> options, ILogger<ProcGpuDiscovery> logger) : IGpuDiscovery
{
    private readonly string _procRoot = options?.Value.ProcRoot ?? throw new ArgumentNullException(nameof(options));

    public async ValueTask<GpuInventory> DiscoverAsync(CancellationToken cancellationToken)
    {
        var problems = new List<DiscoveryProblem>();
        var gpus = await DiscoverGpusAsync(problems, cancellationToken).ConfigureAwait(false);
        var switches = DiscoverNvSwitches(problems);
        var driverVersion = await ReadDriverVersionAsync(problems, cancellationToken).ConfigureAwait(false);
        gpus = [.. gpus.Select(g => g with { MigInstances = DiscoverMigInstances(g.GpuId, problems) })];
        GpuDiscoveryLog.Discovered(logger, _procRoot, gpus.Count, switches.Count, problems.Count);
        foreach (var problem in problems)
        {
            GpuDiscoveryLog.Problem(logger, problem.Path, problem.Message);
        }

        return new GpuInventory(gpus, switches, problems) { DriverVersion = driverVersion };
    }

    /// <summary><c>&lt;ProcRoot&gt;/driver/nvidia/version</c>; missing: null (no driver loaded, or an old tree); unparsable: a problem.</summary>
    private async Task<NvidiaDriverVersion?> ReadDriverVersionAsync(List<DiscoveryProblem> problems, CancellationToken cancellationToken)
    {
        var file = Path.Combine(_procRoot, "driver", "nvidia", "version");
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            if (NvidiaDriverVersion.TryParseVersionFile(text, out var version))
            {
                return version;
            }

            problems.Add(new DiscoveryProblem(file, "has no 'NVRM version: ... Kernel Module <version>' line; the newest line format is used."));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new DiscoveryProblem(file, $"cannot be read: {e.Message}"));
        }

        return null;
    }

    /// <summary>
    /// The driver's MIG layout of one GPU: directories <c>gi&lt;N&gt;</c> under
    /// <c>&lt;ProcRoot&gt;/driver/nvidia/capabilities/gpu&lt;minor&gt;/mig/</c> and <c>ci&lt;M&gt;</c> under each, ordered by number.
    /// </summary>
    private List<MigGpuInstance> DiscoverMigInstances(int gpuId, List<DiscoveryProblem> problems)
    {
        var root = Path.Combine(_procRoot, "driver", "nvidia", "capabilities", string.Create(CultureInfo.InvariantCulture, $"gpu{gpuId}"), "mig");
        var instances = new List<MigGpuInstance>();
        if (!Directory.Exists(root))
        {
            return instances;
        }

        try
        {
            foreach (var gi in Directory.GetDirectories(root))
            {
                if (!TryNumbered(Path.GetFileName(gi), "gi", out var giNumber))
                {
                    continue;
                }

                var computeInstances = Directory.GetDirectories(gi)
                    .Select(ci => TryNumbered(Path.GetFileName(ci), "ci", out var n) ? n : -1)
                    .Where(n => n >= 0)
                    .Order()
                    .ToList();
                instances.Add(new MigGpuInstance(giNumber, computeInstances));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new DiscoveryProblem(root, $"cannot be listed: {e.Message}"));
        }

        instances.Sort((a, b) => a.GpuInstance.CompareTo(b.GpuInstance));
        return instances;
    }

    private static bool TryNumbered(string name, string prefix, out int number)
    {
        number = -1;
        return name.Length > prefix.Length && name.Length <= prefix.Length + 3
            && name.StartsWith(prefix, StringComparison.Ordinal)
            && name.AsSpan(prefix.Length).ContainsAnyExceptInRange('0', '9') is false
            && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    private async Task<List<GpuInfo>> DiscoverGpusAsync(List<DiscoveryProblem> problems, CancellationToken cancellationToken)
    {
        var root = Path.Combine(_procRoot, "driver", "nvidia", "gpus");
        var found = new List<GpuInfo>();
        if (!Directory.Exists(root))
        {
            return found;
        }

        foreach (var directory in EnumerateDirectoriesSorted(root, problems))
        {
            var name = Path.GetFileName(directory);
            var file = Path.Combine(directory, "information");
            if (!PciAddress.TryParse(name, out _))
            {
                problems.Add(new DiscoveryProblem(directory, $"'{name}' is not a PCI address directory (dddd:bb:dd.f)."));
                continue;
            }

            string text;
            try
            {
                text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new DiscoveryProblem(file, $"cannot be read: {e.Message}"));
                continue;
            }

            try
            {
                found.Add(GpuInformationParser.Parse(text, file, name));
            }
            catch (GpuInformationFormatException e)
            {
                problems.Add(new DiscoveryProblem(file, e.Message));
            }
        }

        var duplicates = found.GroupBy(g => g.GpuId).Where(g => g.Count() > 1).ToList();
        foreach (var group in duplicates)
        {
            var paths = string.Join(", ", group.Select(g => g.SourcePath));
            foreach (var gpu in group)
            {
                problems.Add(new DiscoveryProblem(gpu.SourcePath,
                    string.Create(CultureInfo.InvariantCulture, $"Device Minor {gpu.GpuId} is shared by {paths}; none of them can be addressed by gpu_id.")));
                found.Remove(gpu);
            }
        }

        found.Sort((a, b) => a.GpuId.CompareTo(b.GpuId));
        return found;
    }

    private List<NvSwitchInfo> DiscoverNvSwitches(List<DiscoveryProblem> problems)
    {
        var root = Path.Combine(_procRoot, "driver", "nvidia-nvswitch", "devices");
        var switches = new List<NvSwitchInfo>();
        if (!Directory.Exists(root))
        {
            return switches;
        }

        var position = 0;
        foreach (var directory in EnumerateDirectoriesSorted(root, problems))
        {
            var name = Path.GetFileName(directory);
            if (!PciAddress.TryParse(name, out var address) || !address.HasFunction)
            {
                problems.Add(new DiscoveryProblem(directory, $"'{name}' is not a PCI address directory (dddd:bb:dd.f)."));
                continue;
            }

            switches.Add(new NvSwitchInfo(position++, address.BusId, directory));
        }

        return switches;
    }

    private static List<string> EnumerateDirectoriesSorted(string root, List<DiscoveryProblem> problems)
    {
        try
        {
            var directories = Directory.GetDirectories(root).ToList();
            directories.Sort(StringComparer.OrdinalIgnoreCase);
            return directories;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new DiscoveryProblem(root, $"cannot be listed: {e.Message}"));
            return [];
        }
    }
}
