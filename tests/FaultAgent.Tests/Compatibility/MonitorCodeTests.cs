using System.Globalization;
using System.Text;
using System.Text.Json;
using FaultAgent.Injection;
using FaultAgent.Tests.Infrastructure;
using FaultAgent.Xids;
using FaultInjection.Agent.V1;
using Google.Protobuf;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// The monitors' own code, not an imitation of it (<see cref="MonitorCode"/>: gpud's xid/sxid Match, NVSentinel's
/// syslog-health-monitor parser and handlers, Konduktor's parse.py), on what a real agent process wrote to the machine's
/// /dev/kmsg as each monitor receives it: journald's MESSAGE (a journald of the test's own, <c>journalctl -k -o json</c>)
/// for NVSentinel, the /dev/kmsg text for gpud, the lines <c>dmesg</c> prints for Konduktor. The agent writes every
/// catalog Xid in each driver form it supports (r535, r570, r575; with and without a process; MIG GPU-I and
/// GPU-I + GPU-CI), every catalog SXid with its follow-up records, Xid 79 with its preamble, follow-ups and probe record,
/// and again each real sample line it can reproduce (TestData/real_xid_lines.txt, xid79_multiline_fallen_off_bus.txt) on
/// a GPU or switch at the sample's own PCI address. Every record's verdict must equal (1) the verdict on the same text
/// printed by the driver (a kernel-facility record: MESSAGE the whole text, no doubled identifier), (2) the verdict on
/// the real sample line where there is one, and (3) the injection's intent — the code and the device — wherever the
/// monitor reads the record at all; where it does not, the miss must be one the real driver's line meets as well
/// (<see cref="MonitorBlindSpots"/>, each with its reason).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class MonitorCodeTests : IDisposable
{
    private const string Uuid = "GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b";

    private readonly ITestOutputHelper _output;
    private readonly TestDirectory _directory = new();

    public MonitorCodeTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task MonitorCode_EveryFormTheAgentWritesThroughJournalAndKmsg_SameVerdictAsTheDriversLineAndTheIntent()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var cancellationToken = timeout.Token;
        using var monitors = await MonitorCode.BuildAsync(cancellationToken);

        // A PCI domain of this run's own for the catalog's sweep; the reproductions use the samples' own addresses.
        var domain = Random.Shared.Next(0x1000, 0xffff).ToString("x4", CultureInfo.InvariantCulture);
        var plan = MonitorCodePlan.Create(domain);
        var settings = Settings(plan);

        using var journald = new OwnJournald();
        using var kernelLog = KernelLogRecorder.Start();
        using var target = new TargetNamespaceProcess();
        settings["Agent:TargetPid"] = target.Pid.ToString(CultureInfo.InvariantCulture);
        await using var agent = await AgentProcess.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var client = new AgentClient(channel);

        // Eight callers at once, as an API's fan-out would: the order of the records does not matter (each is found by
        // its kernel timestamp and text).
        var written = new Fault[plan.Cases.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < plan.Cases.Count; i = Interlocked.Increment(ref next))
            {
                var response = plan.Cases[i].Request switch
                {
                    InjectXidRequest xid => await client.InjectXidAsync(xid, AgentApplicationFactory.Auth(), cancellationToken: cancellationToken),
                    InjectSxidRequest sxid => await client.InjectSxidAsync(sxid, AgentApplicationFactory.Auth(), cancellationToken: cancellationToken),
                    _ => throw new InvalidOperationException("unknown request"),
                };
                written[i] = response.Fault;
            }
        }, cancellationToken)));

        var records = plan.Cases.Zip(written).SelectMany(p => p.Second.Records.Select(r => (Case: p.First, Record: r))).ToList();
        var kmsg = kernelLog.Snapshot();
        kernelLog.AssertNoneLost();
        var entries = await JournalEntriesAsync(journald, records.Select(r => r.Record).ToList(), cancellationToken);

        // What each monitor gets: ours through the journal, /dev/kmsg and dmesg; the same text as the driver prints it.
        var driverTexts = records.Select(r => JournaldIdentifier.Parse(r.Record.Text).Message).ToList();
        var kmsgTexts = records.Select(r => kmsg[r.Record.Sequence]).ToList();
        Assert.Contains(kmsgTexts, t => t.Contains("\\x0a", StringComparison.Ordinal)); // the probe record, escaped as /dev/kmsg gives it
        var reals = records.Select((r, i) => r.Case.RealFor(driverTexts[i])).ToList();

        var nvSentinelOurs = await monitors.NvSentinelAsync([.. entries.Select((e, i) => (Text(e, "MESSAGE"), records[i].Case.Driver))], cancellationToken);
        var nvSentinelDriver = await monitors.NvSentinelAsync([.. driverTexts.Select((t, i) => (t, records[i].Case.Driver))], cancellationToken);
        var nvSentinelReal = await monitors.NvSentinelAsync([.. reals.Select((t, i) => (t ?? "", records[i].Case.Driver))], cancellationToken);
        var gpudOurs = await monitors.GpudAsync(kmsgTexts, cancellationToken);
        var gpudDriver = await monitors.GpudAsync([.. driverTexts.Select(KernelLogText.KmsgEscaped)], cancellationToken);
        var gpudReal = await monitors.GpudAsync([.. reals.Select(t => KernelLogText.KmsgEscaped(t ?? ""))], cancellationToken);
        var konduktorOurs = await MonitorCode.KonduktorAsync([.. kmsgTexts.Select(DmesgLines)], cancellationToken);
        var konduktorDriver = await MonitorCode.KonduktorAsync([.. driverTexts.Select(t => (IReadOnlyList<string>)t.Split('\n'))], cancellationToken);
        var konduktorReal = await MonitorCode.KonduktorAsync([.. reals.Select(t => (IReadOnlyList<string>)(t ?? "").Split('\n'))], cancellationToken);

        var monitorsVerdicts = new (string Monitor, IReadOnlyList<MonitorVerdict> Ours, IReadOnlyList<MonitorVerdict> Driver, IReadOnlyList<MonitorVerdict> Real)[]
        {
            ("NVSentinel", nvSentinelOurs, nvSentinelDriver, nvSentinelReal),
            ("gpud", gpudOurs, gpudDriver, gpudReal),
            ("Konduktor", konduktorOurs, konduktorDriver, konduktorReal),
        };

        List<string> differences = [];
        List<string> unexpected = [];
        SortedSet<string> blindSpots = new(StringComparer.Ordinal);
        var realCompared = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var @case = records[i].Case;
            var intent = MonitorIntent.Of(@case, driverTexts[i]);
            foreach (var (monitor, ours, driver, real) in monitorsVerdicts)
            {
                // (1) The driver's own text, as a kernel-facility record, reads the same.
                if (ours[i].Text != driver[i].Text)
                {
                    differences.Add($"{monitor}, {@case.Label}: ours '{ours[i].Text}', the driver's '{driver[i].Text}' for `{driverTexts[i]}`");
                }

                // (2) So does the real sample line the record reproduces.
                if (reals[i] is not null)
                {
                    realCompared++;
                    if (ours[i].Text != real[i].Text)
                    {
                        differences.Add($"{monitor}, {@case.Label}: ours '{ours[i].Text}', the real line's '{real[i].Text}' (`{reals[i]}` vs ours `{driverTexts[i]}`)");
                    }
                }

                // (3) The code and device meant, unless the monitor's code misses or misreads the driver's form.
                var key = MonitorBlindSpots.Key(monitor, @case.Form, intent.RecordKind, intent.Code);
                var missReason = intent.Expects(monitor) ? MonitorBlindSpots.MissReason(monitor, @case.Form, intent.RecordKind, intent.Code) : null;
                var misreadReason = intent.Expects(monitor) ? MonitorBlindSpots.MisreadReason(monitor, @case.Form, intent.RecordKind, intent.Code) : null;
                var wrong = ours[i].Findings.Where(f => !intent.Accepts(monitor, f)).ToList();
                var missed = intent.Expects(monitor) && ours[i].Findings.Count == 0;
                if (missReason is not null || misreadReason is not null)
                {
                    blindSpots.Add(key);
                    if (missReason is not null ? !missed : (missed || wrong.Count == 0))
                    {
                        unexpected.Add($"{key}: a blind spot no longer there ({missReason ?? misreadReason}); read '{ours[i].Text}'");
                    }
                }
                else if (wrong.Count > 0 || missed)
                {
                    unexpected.Add($"{key}: read '{ours[i].Text}', the intent is {intent} (`{driverTexts[i]}`)");
                }
            }
        }

        _output.WriteLine($"{plan.Cases.Count} injections, {records.Count} records, {realCompared} verdicts compared with a real line's, {blindSpots.Count} blind spots of the monitors' code");
        Assert.True(differences.Count == 0, $"{differences.Count} differences:\n" + string.Join("\n", differences.Take(60)));
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} verdicts other than the intent and the monitors' known blind spots:\n" + string.Join("\n", unexpected.Take(60)));
        Assert.True(realCompared >= 3 * 20, $"only {realCompared} verdicts compared with real lines");
    }

    private Dictionary<string, string> Settings(MonitorCodePlan plan)
    {
        var procRoot = _directory.Combine("proc");
        var template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "gpu-information-h100.txt"));
        foreach (var (pci, minor, uuid) in plan.Gpus)
        {
            var gpuDirectory = Path.Combine(procRoot, "driver", "nvidia", "gpus", pci);
            Directory.CreateDirectory(gpuDirectory);
            File.WriteAllText(Path.Combine(gpuDirectory, "information"), template
                .Replace("0000:3b:00.0", pci, StringComparison.Ordinal)
                .Replace("Device Minor: \t 0", $"Device Minor: \t {minor}", StringComparison.Ordinal)
                .Replace(Uuid, uuid, StringComparison.Ordinal));
        }

        foreach (var instance in (string[])["gi1/ci0"])
        {
            Directory.CreateDirectory(Path.Combine(procRoot, "driver", "nvidia", "capabilities", $"gpu{MonitorCodePlan.SweepMinor}", "mig", instance));
        }

        // nvidia-smi's answer to the agent's board query (serial, PCI device id) for every GPU, as a stand-in script: the
        // samples' own boards where the sample shows them (gpud's H100 HGX serial, the 570.158.01 node's 10de:26b5 whose
        // serial is [N/A], the XE9680's serial), H100s elsewhere.
        var smi = _directory.Combine("nvidia-smi");
        File.WriteAllText(smi, "#!/bin/sh\ncat <<'EOF'\n" + string.Concat(plan.Gpus.Select(g => $"0000{g.Pci}, {plan.BoardOf(g.Pci)}\n")) + "EOF\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(smi, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var random = Path.Combine(procRoot, "sys", "kernel", "random");
        Directory.CreateDirectory(random);
        File.WriteAllText(Path.Combine(random, "boot_id"), File.ReadAllText("/proc/sys/kernel/random/boot_id"));
        File.WriteAllText(_directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");
        return new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-monitor-code",
            ["Agent:ProcRoot"] = procRoot,
            ["Agent:StateDirectory"] = _directory.Combine("state"),
            ["Agent:TokenFile"] = _directory.Combine("token"),
            ["Agent:Tools:NvidiaSmiPath"] = smi,
            ["Agent:Limits:InjectionsPerSecond"] = "1000000",
            ["Agent:Limits:InjectionBurst"] = "1000000",
            ["Agent:Limits:MaxActiveFaults"] = "1000000",
        };
    }

    /// <summary>The journal entry of each record (by its kernel timestamp and text), in the records' order; waits for journald to read them.</summary>
    private static async Task<IReadOnlyList<JsonElement>> JournalEntriesAsync(OwnJournald journald, IReadOnlyList<FaultInjection.Agent.V1.KernelLogRecord> records, CancellationToken cancellationToken)
    {
        var wanted = records.Select(r => (r.TimestampUs.ToString(CultureInfo.InvariantCulture), JournaldIdentifier.Parse(r.Text).Message)).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var entries = await journald.KernelEntriesAsync(cancellationToken);
            var byKey = new Dictionary<(string, string), JsonElement>();
            foreach (var entry in entries)
            {
                byKey.TryAdd((Text(entry, "_SOURCE_MONOTONIC_TIMESTAMP"), Text(entry, "MESSAGE")), entry);
            }

            var found = wanted.Select(w => byKey.TryGetValue(w, out var e) ? e : (JsonElement?)null).ToList();
            if (found.All(f => f is not null))
            {
                return [.. found.Select(f => f!.Value)];
            }

            if (DateTime.UtcNow >= deadline)
            {
                var missed = await journald.MissedKernelMessagesAsync(cancellationToken);
                Assert.Fail($"journald holds {found.Count(f => f is not null)} of the {wanted.Count} records after 60 s; "
                    + (missed.Count == 0 ? "it noted no missed kernel messages" : $"it noted {string.Join("; ", missed.TakeLast(5))}"));
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>The lines dmesg prints for a record: the /dev/kmsg text with its <c>\xNN</c> escapes undone, one line per newline.</summary>
    private static IReadOnlyList<string> DmesgLines(string kmsgText)
    {
        var text = new StringBuilder(kmsgText.Length);
        for (var i = 0; i < kmsgText.Length; i++)
        {
            if (kmsgText[i] == '\\' && i + 3 < kmsgText.Length && kmsgText[i + 1] == 'x'
                && int.TryParse(kmsgText.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                text.Append((char)b);
                i += 3;
            }
            else
            {
                text.Append(kmsgText[i]);
            }
        }

        return text.ToString().Split('\n');
    }

    private static string Text(JsonElement entry, string field) =>
        entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
