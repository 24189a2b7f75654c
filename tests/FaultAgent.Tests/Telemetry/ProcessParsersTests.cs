using FaultAgent.Telemetry;

namespace FaultAgent.Tests.Telemetry;

public sealed class ProcessParsersTests
{
    private const string H200 = "nvidia-smi_query-gpu_compute-apps_pmon_h200x8_real.txt";
    private const string Formats = "nvidia-smi_pmon_formats.txt";

    private static Dictionary<string, int> H200Indexes()
    {
        var fields = NvidiaSmiQueryFields.Fields("index", "uuid", "memory.used", "memory.total", "utilization.gpu");
        return GpuQueryParser.Parse(NvidiaSmiSamples.Block(H200, "index, uuid"), fields).Gpus.ToDictionary(g => g.Uuid, g => g.Index);
    }

    [Fact]
    public void ComputeApps_RealH200Capture_MapsUuidToIndexAndKeepsNotFoundAsEmptyName()
    {
        var csv = NvidiaSmiSamples.WithoutHeaderAndUnits(NvidiaSmiSamples.Block(H200, "gpu_uuid, pid", after: "## Before"));

        var processes = ComputeAppsParser.Parse(csv, H200Indexes());

        Assert.Equal(8, processes.Count);
        Assert.Equal(Enumerable.Range(0, 8), processes.Select(p => p.GpuIndex));
        Assert.Equal(1328667, processes[0].Pid);
        Assert.Equal("/usr/local/bin/python3.10", processes[0].ProcessName);
        Assert.Equal(130004, processes[0].UsedMemoryMib);
        Assert.Equal(1758887, processes[7].Pid);
        Assert.Equal("", processes[7].ProcessName); // "[Not Found]"
        Assert.Equal(58060, processes[7].UsedMemoryMib);
    }

    [Fact]
    public void ComputeApps_WithHeaderAndUnits_ParsesTheSame()
    {
        var processes = ComputeAppsParser.Parse(NvidiaSmiSamples.Block(H200, "gpu_uuid, pid", after: "## After"), H200Indexes());

        Assert.Equal([0, 1, 3, 7], processes.Select(p => p.GpuIndex));
        Assert.Equal(129984, processes[2].UsedMemoryMib);
    }

    [Fact]
    public void ComputeApps_NameWithCommasUnknownGpuAndNaMemory_ReadFromBothEnds()
    {
        var output = "GPU-x, 42, /opt/app --flag=a,b, [N/A]\nGPU-y, 43, python3, 10\n";

        var processes = ComputeAppsParser.Parse(output, new Dictionary<string, int> { ["GPU-y"] = 5 });

        Assert.Equal("/opt/app --flag=a,b", processes[0].ProcessName);
        Assert.Equal(-1, processes[0].GpuIndex);
        Assert.Null(processes[0].UsedMemoryMib);
        Assert.Equal(5, processes[1].GpuIndex);
    }

    [Fact]
    public void ComputeApps_NoProcesses_Empty()
    {
        Assert.Empty(ComputeAppsParser.Parse("", new Dictionary<string, int>()));
        Assert.Empty(ComputeAppsParser.Parse("gpu_uuid, pid, process_name, used_gpu_memory [MiB]\n", new Dictionary<string, int>()));
    }

    [Fact]
    public void Pmon_RealH200IdleRows_SamplesWithoutPid()
    {
        var samples = PmonParser.Parse(NvidiaSmiSamples.Block(H200, "# gpu"));

        Assert.Equal([2, 4, 5, 6], samples.Select(s => s.GpuIndex));
        Assert.All(samples, s =>
        {
            Assert.Null(s.Pid);
            Assert.Null(s.SmPercent);
            Assert.Null(s.OfaPercent);
            Assert.Equal("", s.Type);
            Assert.Equal("", s.Command);
        });
    }

    [Fact]
    public void Pmon_EveryHeaderVariant_ColumnsFollowTheHeader()
    {
        var samples = PmonParser.Parse(string.Join('\n', NvidiaSmiSamples.Lines(Formats)));

        // (1) fb/ccpm + jpg/ofa, (2) the same with three processes, (3) "-s m": fb/ccpm only, plus an idle row.
        Assert.Equal(7, samples.Count);
        var xorg = samples[0];
        Assert.Equal(1424, xorg.Pid);
        Assert.Equal("G", xorg.Type);
        Assert.Null(xorg.SmPercent);
        Assert.Equal("Xorg", xorg.Command);
        var gnome = samples[2];
        Assert.Equal(8788, gnome.Pid);
        Assert.Equal(15, gnome.SmPercent);
        Assert.Equal(11, gnome.MemPercent);
        Assert.Null(gnome.EncPercent);
        Assert.Equal("gnome-shell", gnome.Command);
        Assert.Equal("C+G", samples[3].Type);
        var python = samples[5];
        Assert.Equal(3432889, python.Pid);
        Assert.Equal("C", python.Type);
        Assert.Null(python.SmPercent); // "-s m" has no utilisation columns
        Assert.Equal("python", python.Command);
        Assert.Null(samples[6].Pid);
    }

    [Fact]
    public void Pmon_OldDriverHeaderWithoutJpgOfa_MapsByName()
    {
        var header = NvidiaSmiSamples.Block(Formats, "# gpu         pid  type    sm   mem   enc   dec   command");
        var output = header + "    1      31337     C    85    42     3     4   python\n";

        var sample = Assert.Single(PmonParser.Parse(output));

        Assert.Equal(1, sample.GpuIndex);
        Assert.Equal(85, sample.SmPercent);
        Assert.Equal(42, sample.MemPercent);
        Assert.Equal(3, sample.EncPercent);
        Assert.Equal(4, sample.DecPercent);
        Assert.Null(sample.JpgPercent);
        Assert.Equal("python", sample.Command);
    }
}
