using System.Text;
using FaultAgent.Tests.HostProcesses;

namespace FaultAgent.Tests.Telemetry;

/// <summary>
/// The stand-in <c>nvidia-smi</c> of the repository (<c>samples/stand-in-tools/nvidia-smi</c>, the one run-local.sh installs
/// for its simulated nodes) written into the host-only tmpfs of <see cref="HostNamespaceFixture"/> with the data it answers
/// from: a table (field → value per GPU) printed for <c>--query-gpu</c> (a field missing from the table gets nvidia-smi's
/// own "is not a valid field to query" answer; a GPU whose index is <c>[Unknown Error]</c> the driver's "Unable to
/// determine the device handle" line and exit code 15), or a simulated node's data (<see cref="ForSimulatedNode"/>);
/// compute apps and pmon print captured output. With <see cref="Gate"/> set it waits for <see cref="Release"/>.
/// </summary>
internal sealed class StandInNvidiaSmi
{
    private readonly HostNamespaceFixture _host;

    public StandInNvidiaSmi(HostNamespaceFixture host, IReadOnlyDictionary<string, string[]> table, string computeApps = "", string pmon = "", string? hostDirectory = null)
        : this(host, hostDirectory)
    {
        var tsv = new StringBuilder();
        foreach (var (field, values) in table)
        {
            tsv.Append(field).Append('\t').AppendJoin('\t', values).Append('\n');
        }

        File.WriteAllText(HostFile("query-gpu.tsv"), tsv.ToString());
        File.WriteAllText(HostFile("compute-apps.csv"), computeApps);
        File.WriteAllText(HostFile("pmon.txt"), pmon);
    }

    private StandInNvidiaSmi(HostNamespaceFixture host, string? hostDirectory)
    {
        _host = host;
        Directory = hostDirectory ?? host.NewHostDirectory("nvidia-smi");
        Path = host.WriteToolAt(System.IO.Path.Combine(Directory, "nvidia-smi"), File.ReadAllText(StandInToolPath("nvidia-smi")));
        File.WriteAllText(HostFile("calls.log"), "");
    }

    /// <summary>The tool's path as the host sees it (Agent:Tools:NvidiaSmiPath).</summary>
    public string Path { get; }

    public string Directory { get; }

    /// <summary>Every argument line the tool was started with.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            var log = HostFile("calls.log");
            return File.Exists(log) ? File.ReadAllLines(log) : [];
        }
    }

    public void Gate() => File.WriteAllText(HostFile("gate"), "");

    public void Release() => File.WriteAllText(HostFile("release"), "");

    private string HostFile(string name) => _host.HostPath(System.IO.Path.Combine(Directory, name));

    /// <summary>
    /// The stand-in answering from a simulated node's data (<c>samples/nodes/&lt;node&gt;/nvidia-smi/</c>: a real
    /// <c>nvidia-smi -q</c> capture, or a query table), as run-local.sh installs it.
    /// </summary>
    public static StandInNvidiaSmi ForSimulatedNode(HostNamespaceFixture host, string node)
    {
        ArgumentNullException.ThrowIfNull(host);
        var smi = new StandInNvidiaSmi(host, hostDirectory: null);
        foreach (var file in System.IO.Directory.GetFiles(SimulatedNodePath(node, "nvidia-smi")))
        {
            File.Copy(file, smi.HostFile(System.IO.Path.GetFileName(file)));
        }

        return smi;
    }

    /// <summary>A path inside the repository's <c>samples/stand-in-tools</c> (copied beside the tests).</summary>
    public static string StandInToolPath(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "StandInTools", name);

    /// <summary>A path inside the repository's <c>samples/nodes/&lt;node&gt;</c> (copied beside the tests).</summary>
    public static string SimulatedNodePath(string node, params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "SimulatedNodes", node, .. parts]);

    /// <summary>
    /// Eight H200s: the query table of the simulated node gpu-node-002 (samples/nodes/gpu-node-002/nvidia-smi/query-gpu.tsv,
    /// from the real capture's "After" snapshot: index, uuid, memory used/total and utilisation as captured; the rest
    /// as an H200 prints it — Hopper has no retired pages: [N/A]; GPU 7's power draw is [N/A]; GPU 3 has 2 uncorrected
    /// ECC errors and a pending row remap).
    /// </summary>
    public static Dictionary<string, string[]> H200Table(bool withRowRemapping = true)
    {
        var table = File.ReadAllLines(SimulatedNodePath("gpu-node-002", "nvidia-smi", "query-gpu.tsv"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => f[1..], StringComparer.Ordinal);
        if (!withRowRemapping)
        {
            foreach (var field in table.Keys.Where(k => k.StartsWith("remapped_rows.", StringComparison.Ordinal)).ToList())
            {
                table.Remove(field);
            }
        }

        return table;
    }
}
