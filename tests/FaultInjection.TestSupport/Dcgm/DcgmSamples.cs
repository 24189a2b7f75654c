namespace FaultAgent.Tests.Dcgm;

/// <summary>
/// The real dcgmi captures in TestData/dcgm: each file names its source in '#' lines, then a blank line, then the
/// output verbatim.
/// </summary>
internal static class DcgmSamples
{
    public const string DiscoveryH800Dcgm318 = "discovery_dcgm-3.1.8_h800x8.txt";
    public const string DiscoveryL4Dcgm45 = "discovery_dcgm-4.5_l4.txt";
    public const string DiscoveryUnixSocketTruncated = "discovery_host-unix-socket_h100_truncated.txt";
    public const string DiscoveryH100ElidedExit223 = "discovery_dcgm-4.5_h100x8_elided_exit223.txt";
    public const string DmonH800Dcgm318 = "dmon_dcgm-3.1.8_h800_nvlink-pcie.txt";
    public const string DmonListDcgm318Excerpt = "dmon-list_dcgm-3.1.8_excerpt.txt";
    public const string InjectXid63Success = "test-inject_xid63_success.txt";
    public const string InjectUnknownGpu = "test-inject_unknown-gpu.txt";
    public const string NoHostEngine = "no-hostengine_discovery.txt";

    /// <summary>The captured output (after the header and its blank line), with a final newline.</summary>
    public static string Output(string file)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "dcgm", file));
        var start = text.IndexOf("\n\n", StringComparison.Ordinal);
        Assert.True(start > 0, $"{file} has no blank line after its header");
        return text[(start + 2)..];
    }

    /// <summary>The stand-in dcgmi script as the repository keeps it (samples/stand-in-tools/dcgmi).</summary>
    public static string StandInScript() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "StandInTools", "dcgmi"));
}
