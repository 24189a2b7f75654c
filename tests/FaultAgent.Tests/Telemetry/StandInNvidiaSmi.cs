using System.Text;
using FaultAgent.Tests.HostProcesses;

namespace FaultAgent.Tests.Telemetry;

/// <summary>
/// A stand-in <c>nvidia-smi</c> written into the host-only tmpfs of <see cref="HostNamespaceFixture"/>. For
/// <c>--query-gpu=&lt;fields&gt;</c> it prints, per GPU, the values of exactly the fields asked for from a table
/// (field → value per GPU); a field missing from the table gets nvidia-smi's own "is not a valid field to query" answer,
/// as an older driver does. A GPU whose index is <c>[Unknown Error]</c> also gets the driver's "Unable to determine the
/// device handle" line and exit code 15, as in the real capture. Compute apps and pmon print captured output.
/// With <see cref="Gate"/> set it waits for <see cref="Release"/> before answering.
/// </summary>
internal sealed class StandInNvidiaSmi
{
    private const string Script = """
        #!/bin/sh
        dir=$(dirname "$0")
        echo "$*" >> "$dir/calls.log"
        if [ -e "$dir/gate" ]; then
          while [ ! -e "$dir/release" ]; do sleep 0.02; done
        fi
        case "$1" in
        --query-gpu=*)
          [ "$2" = "--format=csv,noheader,nounits" ] || { echo "unexpected format $2" >&2; exit 64; }
          exec awk -F'\t' -v fields="${1#--query-gpu=}" '
            { n = NF - 1; have[$1] = 1; for (i = 2; i <= NF; i++) v[$1, i - 1] = $i }
            END {
              k = split(fields, f, ",")
              for (j = 1; j <= k; j++) if (!(f[j] in have)) { printf "Field \"%s\" is not a valid field to query.\n\n", f[j]; exit 2 }
              rc = 0
              for (g = 1; g <= n; g++) {
                if (v["index", g] == "[Unknown Error]") { printf "Unable to determine the device handle for GPU%s: Unknown Error\n", v["pci.bus_id", g]; rc = 15 }
                line = ""
                for (j = 1; j <= k; j++) line = line (j > 1 ? ", " : "") v[f[j], g]
                print line
              }
              exit rc
            }' "$dir/gpus.tsv"
          ;;
        --query-compute-apps=gpu_uuid,pid,process_name,used_memory)
          [ "$2" = "--format=csv,noheader,nounits" ] || exit 64
          cat "$dir/compute-apps.csv"
          ;;
        pmon)
          [ "$*" = "pmon -c 1 -s u" ] || { echo "unexpected pmon arguments: $*" >&2; exit 64; }
          cat "$dir/pmon.txt"
          ;;
        *)
          echo "Invalid combination of input arguments. Please run 'nvidia-smi -h' for help." >&2
          exit 2
          ;;
        esac
        """;

    private readonly HostNamespaceFixture _host;

    public StandInNvidiaSmi(HostNamespaceFixture host, IReadOnlyDictionary<string, string[]> table, string computeApps = "", string pmon = "", string? hostDirectory = null)
    {
        _host = host;
        Directory = hostDirectory ?? host.NewHostDirectory("nvidia-smi");
        Path = host.WriteToolAt(System.IO.Path.Combine(Directory, "nvidia-smi"), Script);
        var tsv = new StringBuilder();
        foreach (var (field, values) in table)
        {
            tsv.Append(field).Append('\t').AppendJoin('\t', values).Append('\n');
        }

        File.WriteAllText(HostFile("gpus.tsv"), tsv.ToString());
        File.WriteAllText(HostFile("compute-apps.csv"), computeApps);
        File.WriteAllText(HostFile("pmon.txt"), pmon);
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
    /// Eight H200s: index, uuid, memory used/total and utilisation from the real capture; the rest as an H200 prints it
    /// (Hopper has no retired pages: [N/A]); GPU 7's power draw is [N/A].
    /// </summary>
    public static Dictionary<string, string[]> H200Table(bool withRowRemapping = true)
    {
        var rows = NvidiaSmiSamples.Block("nvidia-smi_query-gpu_compute-apps_pmon_h200x8_real.txt", "index, uuid")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(", ").Select(v => v.Replace(" MiB", "", StringComparison.Ordinal).Replace(" %", "", StringComparison.Ordinal)).ToArray())
            .ToArray();
        string[] Each(Func<int, string> value) => [.. Enumerable.Range(0, rows.Length).Select(value)];
        string[] Column(int column) => Each(i => rows[i][column]);
        string[] pciBuses = ["18", "2a", "3a", "5d", "9a", "ab", "ba", "db"];

        var table = new Dictionary<string, string[]>
        {
            ["index"] = Column(0),
            ["uuid"] = Column(1),
            ["name"] = Each(_ => "NVIDIA H200"),
            ["pci.bus_id"] = Each(i => $"00000000:{pciBuses[i].ToUpperInvariant()}:00.0"),
            ["driver_version"] = Each(_ => "550.127.05"),
            ["pstate"] = Each(_ => "P0"),
            ["temperature.gpu"] = Each(i => (30 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["utilization.gpu"] = Column(4),
            ["utilization.memory"] = Each(i => rows[i][4] == "100" ? "61" : "0"),
            ["memory.total"] = Column(3),
            ["memory.used"] = Column(2),
            ["memory.free"] = Each(i => (long.Parse(rows[i][3], System.Globalization.CultureInfo.InvariantCulture) - long.Parse(rows[i][2], System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["power.draw"] = Each(i => i == 7 ? "[N/A]" : "512.34"),
            ["power.limit"] = Each(_ => "700.00"),
            ["pcie.link.gen.current"] = Each(_ => "5"),
            ["pcie.link.gen.max"] = Each(_ => "5"),
            ["pcie.link.width.current"] = Each(_ => "16"),
            ["pcie.link.width.max"] = Each(_ => "16"),
            ["clocks.current.graphics"] = Each(_ => "1980"),
            ["clocks.current.sm"] = Each(_ => "1980"),
            ["clocks.current.memory"] = Each(_ => "2619"),
            ["ecc.errors.corrected.volatile.total"] = Each(_ => "0"),
            ["ecc.errors.uncorrected.volatile.total"] = Each(i => i == 3 ? "2" : "0"),
            ["ecc.errors.corrected.aggregate.total"] = Each(_ => "0"),
            ["ecc.errors.uncorrected.aggregate.total"] = Each(i => i == 3 ? "2" : "0"),
            ["retired_pages.sbe"] = Each(_ => "[N/A]"),
            ["retired_pages.dbe"] = Each(_ => "[N/A]"),
            ["retired_pages.pending"] = Each(_ => "[N/A]"),
        };
        if (withRowRemapping)
        {
            table["remapped_rows.correctable"] = Each(_ => "0");
            table["remapped_rows.uncorrectable"] = Each(i => i == 3 ? "1" : "0");
            table["remapped_rows.pending"] = Each(i => i == 3 ? "Yes" : "No");
            table["remapped_rows.failure"] = Each(_ => "No");
        }

        return table;
    }
}
