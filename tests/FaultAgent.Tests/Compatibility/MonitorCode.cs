using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FaultAgent.Tests.Infrastructure;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// The health monitors' own parsing code (tests/monitor-code: gpud's and NVSentinel's Go files, Konduktor's Python
/// files, each copied verbatim from upstream with its provenance in tests/monitor-code/README.md) run on kernel-log
/// records: each harness takes every record's text in the form its monitor reads (gpud: the /dev/kmsg text; NVSentinel:
/// journald's MESSAGE; Konduktor: the lines <c>dmesg -w</c> prints) and answers one verdict per record, written here as a
/// short text (<see cref="MonitorVerdict"/>). Go runs as Debian 12 packages it (golang-go, 1.19, in GOPATH mode: the copied
/// packages need no module), Python as /usr/bin/python3 with python3-requests and python3-colorama (what parse.py and
/// konduktor/logging.py import); scripts/test.sh installs all three.
/// </summary>
internal sealed class MonitorCode : IDisposable
{
    private static readonly string[] GoExecutables = ["/usr/bin/go", "/usr/lib/go/bin/go"];

    private readonly TestDirectory _build;
    private readonly string _gpud;
    private readonly string _nvSentinel;

    private MonitorCode(TestDirectory build)
    {
        _build = build;
        _gpud = build.Combine("gpudharness");
        _nvSentinel = build.Combine("nvsentinelharness");
    }

    public static string Root => Path.Combine(AppContext.BaseDirectory, "MonitorCode");

    public static async Task<MonitorCode> BuildAsync(CancellationToken cancellationToken)
    {
        var go = GoExecutables.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("No Go toolchain: install Debian's golang-go (scripts/test.sh does) to run the monitors' own Go code.");
        Assert.True(File.Exists("/usr/bin/python3"), "No /usr/bin/python3 (Debian's python3) to run Konduktor's own Python code.");
        var code = new MonitorCode(new TestDirectory());
        try
        {
            await GoBuildAsync(go, Path.Combine(Root, "gpud"), "gpudharness", code._gpud, code._build.Combine("cache"), cancellationToken);
            await GoBuildAsync(go, Path.Combine(Root, "nvsentinel"), "nvsentinelharness", code._nvSentinel, code._build.Combine("cache"), cancellationToken);
        }
        catch
        {
            code.Dispose();
            throw;
        }

        return code;
    }

    /// <summary>gpud's xid.Match and sxid.Match on each /dev/kmsg text (the part after the record header's <c>;</c>).</summary>
    public async Task<IReadOnlyList<MonitorVerdict>> GpudAsync(IReadOnlyList<string> kmsgTexts, CancellationToken cancellationToken)
    {
        var answer = await RunAsync(_gpud, [], JsonSerializer.Serialize(kmsgTexts), cancellationToken);
        return [.. answer.Select(MonitorVerdict.FromGpud)];
    }

    /// <summary>NVSentinel's syslog-health-monitor handlers on each journald MESSAGE, its driver version beside it.</summary>
    public async Task<IReadOnlyList<MonitorVerdict>> NvSentinelAsync(IReadOnlyList<(string Message, string Driver)> messages, CancellationToken cancellationToken)
    {
        var input = new JsonObject
        {
            ["catalog"] = Path.Combine(AppContext.BaseDirectory, "TestData", "nvsentinel_xid_catalog.tsv"),
            ["nvl5"] = Path.Combine(Root, "nvsentinel", "xid_144_150_decode.tsv"),
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["text"] = m.Message, ["driver"] = m.Driver })]),
        };
        var answer = await RunAsync(_nvSentinel, [], input.ToJsonString(), cancellationToken);
        return [.. answer.Select(MonitorVerdict.FromNvSentinel)];
    }

    /// <summary>Konduktor's LogQL filter, parse.is_sxid_error and parse.sxid_error on each record's dmesg lines.</summary>
    public static async Task<IReadOnlyList<MonitorVerdict>> KonduktorAsync(IReadOnlyList<IReadOnlyList<string>> dmesgLines, CancellationToken cancellationToken)
    {
        var input = new JsonObject { ["records"] = new JsonArray([.. dmesgLines.Select(r => (JsonNode)new JsonArray([.. r.Select(l => (JsonNode)JsonValue.Create(l)!)]))]) };
        var answer = await RunAsync("/usr/bin/python3", ["-B", Path.Combine(Root, "konduktor", "konduktor_harness.py")], input.ToJsonString(), cancellationToken);
        return [.. answer.Select(MonitorVerdict.FromKonduktor)];
    }

    private static async Task GoBuildAsync(string go, string gopath, string package, string output, string cache, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(go) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "build", "-o", output, package })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GOPATH"] = gopath;
        start.Environment["GO111MODULE"] = "off";
        start.Environment["GOCACHE"] = cache;
        start.Environment["GOFLAGS"] = "";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("go did not start.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, $"go build {package} (GOPATH {gopath}) failed: {await stderr}");
    }

    private static async Task<JsonArray> RunAsync(string executable, IReadOnlyList<string> arguments, string input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.StandardInputEncoding = new UTF8Encoding(false);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, $"{executable} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
        return JsonNode.Parse(await stdout)?.AsArray() ?? throw new InvalidOperationException($"{executable} answered nothing.");
    }

    public void Dispose() => _build.Dispose();
}
