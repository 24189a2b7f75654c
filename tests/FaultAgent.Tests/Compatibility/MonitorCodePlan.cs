using FaultAgent.Xids;
using FaultInjection.Agent.V1;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// The injections of <see cref="MonitorCodeTests"/> and the GPUs the agent's node needs for them: every catalog Xid in
/// each driver form on a GPU of the run's own PCI domain, every catalog SXid, Xid 79 with all its companion records per
/// driver branch, and each real sample line the agent can write again, on a GPU (or switch) at the sample's own address.
/// </summary>
internal sealed class MonitorCodePlan
{
    /// <summary>The Device Minor of the sweep's GPU (MIG instance gi1/ci0 made on it).</summary>
    public const int SweepMinor = 0;

    /// <summary>The driver forms of the catalog sweep: the branch, a process or not, MIG attribution or not.</summary>
    public static IReadOnlyList<(string Form, string Driver, bool Process, int? GpuInstance, int? ComputeInstance)> Forms { get; } =
    [
        ("r535", "535.161.08", false, null, null),
        ("r535 with a process", "535.161.08", true, null, null),
        ("r535 MIG GPU-I GPU-CI", "535.161.08", false, 1, 0),
        ("r570", "570.195.03", false, null, null),
        ("r570 with a process", "570.195.03", true, null, null),
        ("r570 MIG GPU-I", "570.195.03", false, 1, null),
        ("r570 MIG GPU-I GPU-CI with a process", "570.195.03", true, 1, 0),
        ("r575", "575.57.08", false, null, null),
    ];

    private MonitorCodePlan(IReadOnlyList<(string Pci, int Minor, string Uuid)> gpus, IReadOnlyList<MonitorCase> cases)
    {
        Gpus = gpus;
        Cases = cases;
    }

    /// <summary>Each GPU's procfs directory name (<c>dddd:bb:dd.f</c>), Device Minor and UUID.</summary>
    public IReadOnlyList<(string Pci, int Minor, string Uuid)> Gpus { get; }

    public IReadOnlyList<MonitorCase> Cases { get; }

    public static MonitorCodePlan Create(string domain)
    {
        var sweepPci = $"{domain}:3b:00";
        List<(string Pci, int Minor, string Uuid)> gpus = [($"{sweepPci}.0", SweepMinor, "GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b")];
        int GpuAt(string pci, string? uuid = null)
        {
            var existing = gpus.FindIndex(g => g.Pci == pci + ".0");
            if (existing >= 0)
            {
                return gpus[existing].Minor;
            }

            var minor = gpus.Count;
            gpus.Add((pci + ".0", minor, uuid ?? $"GPU-00000000-0000-0000-0000-{minor:x12}"));
            return minor;
        }

        List<MonitorCase> cases = [];
        foreach (var (form, driver, process, gi, ci) in Forms)
        {
            foreach (var xid in XidCatalog.Default.Xids)
            {
                var request = new InjectXidRequest
                {
                    Xid = xid.Xid, GpuId = SweepMinor, DriverVersion = driver, OmitCompanionRecords = true,
                    Pid = process ? 2815167 : 0, ProcessName = process ? "pt_main_thread" : "",
                };
                if (gi is { } gpuInstance)
                {
                    request.GpuInstance = gpuInstance;
                }

                if (ci is { } computeInstance)
                {
                    request.ComputeInstance = computeInstance;
                }

                cases.Add(new($"Xid {xid.Xid}, {form}", form, request, driver, xid.Xid, sweepPci, []));
            }
        }

        foreach (var driver in (string[])["535.161.08", "570.195.03", "575.57.08"])
        {
            cases.Add(new($"Xid 79 with its companion records, r{driver[..3]}", $"r{driver[..3]} companions", new InjectXidRequest
            {
                Xid = 79, GpuId = SweepMinor, DriverVersion = driver, CompanionLines = true, FallenOffBusProbe = true,
            }, driver, 79, sweepPci, []));
        }

        cases.Add(new("Xid 45 caused by previous Xid 149, r575", "r575 root cause", new InjectXidRequest
        {
            Xid = 45, GpuId = SweepMinor, DriverVersion = "575.57.08", Pid = 1818990, ProcessName = "python3", Channel = 1, PreviousXid = 149, OmitCompanionRecords = true,
        }, "575.57.08", 45, sweepPci, []));

        foreach (var sxid in XidCatalog.Default.Sxids)
        {
            cases.Add(new($"SXid {sxid.Sxid} ({sxid.ErrorClass})", $"SXid {sxid.ErrorClass}", new InjectSxidRequest
            {
                Sxid = sxid.Sxid, Nvswitch = 1, PciBusId = $"{domain}:06:00.0", Link = 8,
            }, "570.195.03", sxid.Sxid, $"{domain}:06:00.0", []));
        }

        // The real lines the agent writes again byte for byte (RealLineReproductionTests), at their own addresses.
        foreach (var row in RealLineReproductionTests.SampleLinesWithKnownDriver().Concat(RealLineReproductionTests.LinesWithInferredDriver))
        {
            var (real, driver) = ((string)row[0], (string)row[1]);
            var fields = RealXidLineFields.Parse(real);
            var request = new InjectXidRequest
            {
                Xid = fields.Xid, GpuId = GpuAt(fields.Pci), DriverVersion = driver, OmitCompanionRecords = true,
                Message = fields.Message ?? "", Pid = fields.Pid, ProcessName = fields.ProcessName ?? "", PreviousXid = fields.PreviousXid,
            };
            if (fields.Channel is { } channel)
            {
                request.Channel = channel;
            }

            cases.Add(new($"real line `{real}`", "real line", request, driver, fields.Xid, fields.Pci, [real]));
        }

        // Xid 79 and its follow-ups as captured (gpud's sxid README, H100 HGX, a driver up to 565; and an RTX 5080 on 595.71.05).
        cases.Add(new("real Xid 79 of 0000:91:00 with its follow-ups", "real line", new InjectXidRequest
        {
            Xid = 79, GpuId = GpuAt("0000:91:00"), DriverVersion = "565", CompanionLines = true,
        }, "565", 79, "0000:91:00",
        [
            "NVRM: Xid (PCI:0000:91:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
            "NVRM: GPU 0000:91:00.0: GPU has fallen off the bus.",
            "NVRM: GPU 0000:91:00.0: GPU serial number is 1653723052734.",
        ]));
        cases.Add(new("real Xid 79 of 0000:2b:00 with its follow-up", "real line", new InjectXidRequest
        {
            Xid = 79, GpuId = GpuAt("0000:2b:00"), DriverVersion = "595.71.05", CompanionLines = true,
        }, "595.71.05", 79, "0000:2b:00",
        [
            "NVRM: Xid (PCI:0000:2b:00): 79, GPU has fallen off the bus.",
            "NVRM: GPU 0000:2b:00.0: GPU has fallen off the bus.",
        ]));

        // The probe-time record without an Xid number (NVIDIA/NVSentinel#155, leptonai/gpud#1209: driver 570.158.01).
        cases.Add(new("real probe record of 0000:b3:00", "real line", new InjectXidRequest
        {
            Xid = 79, GpuId = GpuAt("0000:b3:00"), DriverVersion = "570.158.01", CompanionLines = true, FallenOffBusProbe = true,
        }, "570.158.01", 79, "0000:b3:00",
        ["NVRM: The NVIDIA GPU 0000:b3:00.0\nNVRM: (PCI ID: 10de:26b5) installed in this system has\nNVRM: fallen off the bus and is not responding to commands."]));

        // The first-Xid preamble (gpud testdata dmesg-with-xid-119.log, Dell XE9680 H100).
        cases.Add(new("real preamble and Xid 119 of 0000:9b:00", "real line", new InjectXidRequest
        {
            Xid = 119, GpuId = GpuAt("0000:9b:00", "GPU-509665ad-b600-ac93-3616-d754b23d636d"), DriverVersion = "570", CompanionLines = true,
            Pid = 2024380, ProcessName = "nvidia-smi", Message = "Timeout after 6s of waiting for RPC response from GPU4 GSP! Expected function 103 (GSP_RM_ALLOC) (0x2081 0x4).",
        }, "570", 119, "0000:9b:00",
        [
            "NVRM: GPU at PCI:0000:9b:00: GPU-509665ad-b600-ac93-3616-d754b23d636d",
            "NVRM: GPU Board Serial Number: 1650124014249",
            "NVRM: Xid (PCI:0000:9b:00): 119, pid=2024380, name=nvidia-smi, Timeout after 6s of waiting for RPC response from GPU4 GSP! Expected function 103 (GSP_RM_ALLOC) (0x2081 0x4).",
        ]));

        // Real SXid records (NVIDIA/nvtrust#124 on 570.195.03; gpud's sxid README; leptonai/gpud#338).
        cases.Add(new("real SXid 22013 of nvswitch3 with its follow-ups", "real line", Sxid(22013, 3, "0000:04:00.0", 44, "Minion Link DLREQ interrupt", [0x2b, 0x2b, 0, 0x2b, 0x80005302]), "570.195.03", 22013, "0000:04:00.0",
        [
            "nvidia-nvswitch3: SXid (PCI:0000:04:00.0): 22013, Non-fatal, Link 44 Minion Link DLREQ interrupt",
            "nvidia-nvswitch3: SXid (PCI:0000:04:00.0): 22013, Severity 0 Engine instance 44 Sub-engine instance 00",
            "nvidia-nvswitch3: SXid (PCI:0000:04:00.0): 22013, Data {0x0000002b, 0x0000002b, 0x00000000, 0x0000002b, 0x80005302, 0x00000000, 0x00000000, 0x00000000, 0x00000000}",
        ]));
        cases.Add(new("real SXid 20034 of nvswitch1", "real line", Sxid(20034, 1, "0000:06:00.0", 48, "LTSSM Fault Up", []), "570.195.03", 20034, "0000:06:00.0",
            ["nvidia-nvswitch1: SXid (PCI:0000:06:00.0): 20034, Fatal, Link 48 LTSSM Fault Up"]));
        cases.Add(new("real SXid 20034 Severity of nvswitch2", "real line", Sxid(20034, 2, "0000:07:00.0", 60, "LTSSM Fault Up", []), "570.195.03", 20034, "0000:07:00.0",
            ["nvidia-nvswitch2: SXid (PCI:0000:07:00.0): 20034, Severity 1 Engine instance 60 Sub-engine instance 00"]));
        cases.Add(new("real SXid 12028 Data of nvswitch1", "real line", Sxid(12028, 1, "0000:84:00.0", 32, "", [0x1c0, 0xbd5c8a, 0x500, 0x64, 0, 0x40008000, 0x5a001100]), "570.195.03", 12028, "0000:84:00.0",
            ["nvidia-nvswitch1: SXid (PCI:0000:84:00.0): 12028, Data {0x000001c0, 0x00bd5c8a, 0x00000500, 0x00000064, 0x00000000, 0x40008000, 0x5a001100, 0x00000000, 0x00000000}"]));

        return new MonitorCodePlan(gpus, cases);
    }

    /// <summary>nvidia-smi's <c>serial, pci.device_id</c> for a GPU: the sample's board where a sample shows it.</summary>
    public string BoardOf(string pci) => pci switch
    {
        "0000:91:00.0" => "1653723052734, 0x233010DE",
        "0000:9b:00.0" => "1650124014249, 0x233010DE",
        "0000:b3:00.0" => "[N/A], 0x26B510DE",
        _ => $"16500000{Gpus.First(g => g.Pci == pci).Minor:d5}, 0x233010DE",
    };

    private static InjectSxidRequest Sxid(int sxid, int nvswitch, string pci, int link, string message, uint[] data)
    {
        var request = new InjectSxidRequest { Sxid = sxid, Nvswitch = nvswitch, PciBusId = pci, Link = link, Message = message };
        request.Data.AddRange(data);
        return request;
    }
}
