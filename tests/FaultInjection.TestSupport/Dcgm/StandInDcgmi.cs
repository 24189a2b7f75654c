using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FaultAgent.Tests.HostProcesses;

namespace FaultAgent.Tests.Dcgm;

/// <summary>
/// The stand-in dcgmi (samples/stand-in-tools/dcgmi) installed in the host-only tmpfs of <see cref="HostNamespaceFixture"/>, with
/// its state file (one hostengine, its GPUs and field values) beside it. By default DCGM numbers the test node's two GPUs
/// the other way round from the driver (DCGM GPU 0 is the GPU at 0000:5e:00.0, whose Device Minor is 1), so a test that
/// passes proves the agent maps by PCI bus id and not by minor number.
/// </summary>
internal sealed class StandInDcgmi
{
    public const string Gpu0BusId = "00000000:3B:00.0"; // Device Minor 0 in TestProcRoot
    public const string Gpu1BusId = "00000000:5E:00.0"; // Device Minor 1

    private readonly HostNamespaceFixture _host;

    public StandInDcgmi(HostNamespaceFixture host, JsonObject? state = null)
    {
        _host = host;
        Directory = host.NewHostDirectory("dcgmi");
        Path = host.WriteToolAt(System.IO.Path.Combine(Directory, "dcgmi"), DcgmSamples.StandInScript());
        State = state ?? DefaultState();
    }

    /// <summary>dcgmi's path as the host sees it (Agent:Dcgm:DcgmiPath).</summary>
    public string Path { get; }

    public string Directory { get; }

    /// <summary>The hostengine's state (read from and written to the file each time).</summary>
    public JsonObject State
    {
        get => JsonNode.Parse(File.ReadAllText(HostFile("dcgm-state.json")))!.AsObject();
        set => File.WriteAllText(HostFile("dcgm-state.json"), value.ToJsonString());
    }

    /// <summary>Every argument list dcgmi was started with.</summary>
    public IReadOnlyList<string[]> Calls
    {
        get
        {
            var log = HostFile("calls.log");
            return File.Exists(log) ? [.. File.ReadAllLines(log).Select(l => JsonSerializer.Deserialize<string[]>(l)!)] : [];
        }
    }

    public static JsonObject DefaultState() => new()
    {
        ["dcgm_version"] = "4.5.2",
        ["gpus"] = new JsonArray
        {
            new JsonObject { ["id"] = 0, ["name"] = "NVIDIA H100 80GB HBM3", ["pci_bus_id"] = Gpu1BusId, ["uuid"] = "GPU-1b2c3d4e-0000-1111-2222-333344445555" },
            new JsonObject { ["id"] = 1, ["name"] = "NVIDIA H100 80GB HBM3", ["pci_bus_id"] = Gpu0BusId, ["uuid"] = "GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b" },
        },
    };

    /// <summary>The value the hostengine holds for a field of a DCGM GPU; null when it holds none (dmon's N/A).</summary>
    public long? Value(int dcgmGpuId, int fieldId) =>
        State["values"]?[dcgmGpuId.ToString(CultureInfo.InvariantCulture)]?[fieldId.ToString(CultureInfo.InvariantCulture)]?.GetValue<long>();

    public void SetValue(int dcgmGpuId, int fieldId, long value) => Update(s =>
    {
        var values = (s["values"] ??= new JsonObject()).AsObject();
        var gpu = (values[dcgmGpuId.ToString(CultureInfo.InvariantCulture)] ??= new JsonObject()).AsObject();
        gpu[fieldId.ToString(CultureInfo.InvariantCulture)] = value;
    });

    /// <summary>Makes the driver keep <paramref name="value"/> in a field: an injection into it does not take.</summary>
    public void SetDriverValue(int dcgmGpuId, int fieldId, long value) => Update(s =>
    {
        var values = (s["driver_values"] ??= new JsonObject()).AsObject();
        var gpu = (values[dcgmGpuId.ToString(CultureInfo.InvariantCulture)] ??= new JsonObject()).AsObject();
        gpu[fieldId.ToString(CultureInfo.InvariantCulture)] = value;
    });

    /// <summary>Stops (or starts) the hostengine: dcgmi then fails to connect as real dcgmi does.</summary>
    public void SetHostEngineRunning(bool running) => Update(s =>
    {
        var engine = (s["hostengine"] ??= new JsonObject()).AsObject();
        engine["running"] = running;
    });

    /// <summary>Makes every dcgmi run wait <paramref name="seconds"/> for the hostengine's answer (a busy hostengine).</summary>
    public void SetAnswerDelay(double seconds) => Update(s =>
    {
        var engine = (s["hostengine"] ??= new JsonObject()).AsObject();
        engine["answer_delay_seconds"] = seconds;
    });

    /// <summary>Makes every <c>test --inject</c> wait, once it started, until <see cref="ReleaseInjections"/> (for good).</summary>
    public void HoldInjections() => Update(s => s["hold_injections"] = true);

    /// <summary>True once a <c>test --inject</c> is waiting (or waited) for <see cref="ReleaseInjections"/>.</summary>
    public bool InjectionHeld => File.Exists(HostFile("inject-held"));

    /// <summary>Lets the held injections (and every later one) go on.</summary>
    public void ReleaseInjections() => File.WriteAllText(HostFile("inject-released"), "");

    /// <summary>Every value an injection stored, in the hostengine's order: (DCGM GPU id, field id, value).</summary>
    public IReadOnlyList<(int Gpu, int Field, long Value)> Writes
    {
        get
        {
            var log = HostFile("writes.log");
            return File.Exists(log)
                ? [.. File.ReadAllLines(log).Select(l => JsonSerializer.Deserialize<long[]>(l)!).Select(w => ((int)w[0], (int)w[1], w[2]))]
                : [];
        }
    }

    public void ListenOn(params string[] addresses) => Update(s =>
    {
        var engine = (s["hostengine"] ??= new JsonObject()).AsObject();
        engine["addresses"] = new JsonArray([.. addresses.Select(a => (JsonNode)a)]);
    });

    private void Update(Action<JsonObject> change)
    {
        var state = State;
        change(state);
        State = state;
    }

    private string HostFile(string name) => _host.HostPath(System.IO.Path.Combine(Directory, name));
}
