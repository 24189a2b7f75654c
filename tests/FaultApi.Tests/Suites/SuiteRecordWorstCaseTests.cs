using System.Globalization;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Storage;
using FaultApi.Suites;
using Xunit.Abstractions;

namespace FaultApi.Tests.Suites;

/// <summary>
/// <see cref="SuiteRecordBudget.Estimate"/> is an upper bound: a suite whose run writes every field at its largest —
/// drill records carrying reasons, lines, evidence and step lists far past anything the suite keeps, start problems,
/// event reasons and the suite's reason as long — never serializes past it, in every state it is saved in.
/// </summary>
public sealed class SuiteRecordWorstCaseTests(ITestOutputHelper output)
{
    /// <summary>Characters the record stores escaped (6 bytes for 1), 2-, 3- and 4-byte UTF-8 (an emoji: a surrogate pair).</summary>
    private const string Awkward = "<&'\"\\\u0001é€😀x";

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 6)]
    [InlineData(40, 25)]
    public void Estimate_SuiteRunToEveryCap_SerializedRecordNeverExceedsIt(int drills, int expectations)
    {
        var suite = Planned(drills, expectations);
        var (planned, largest) = SuiteRecordBudget.Estimate(suite);
        var sizes = new List<long> { Size(suite) };
        var now = DateTimeOffset.UtcNow;

        foreach (var entry in suite.Drills)
        {
            // The start as the runner records it when the agent's answer was lost: a problem's message in the event.
            entry.State = SuiteState.Starting;
            entry.StartedAt = now;
            suite.Add(new SuiteEvent("drill_started", now, entry.Index, entry.Name, entry.NodeName, "0123456789abcdef", SuiteState.Running, Huge(9000)));
            entry.Reason = $"waiting to start: Routing not ready ({Huge(5000)})";
            sizes.Add(Size(suite));

            // Its verdict: the drill's record at its worst.
            entry.Take(WorstDrill(entry, now));
            suite.Add(new SuiteEvent("drill_ended", now, entry.Index, entry.Name, entry.NodeName, entry.DrillId, entry.State, entry.Reason));
            sizes.Add(Size(suite));
        }

        suite.State = SuiteState.Failed;
        suite.Reason = $"{drills} of {drills} drills did not pass: " + string.Join("; ", suite.Drills.Select(d => $"{d.Name} on {d.NodeName} failed {Huge(3000)}"));
        suite.EndedAt = now;
        suite.Add(new SuiteEvent("suite_ended", now, null, suite.Name, null, null, suite.State, suite.Reason));
        sizes.Add(Size(suite));

        output.WriteLine($"planned {planned} bytes, estimate {largest}, largest reached {sizes.Max()} ({drills} drills of {expectations} expectations)");
        Assert.True(planned < largest, $"planned {planned}, largest {largest}");
        Assert.All(sizes, size => Assert.True(size <= largest, $"the record reached {size} bytes; the estimate said at most {largest} (planned {planned})"));

        // Every cap was reached, and says so where a reader sees it.
        var json = JsonSerializer.Serialize(suite, RecordJson.Options);
        var entryJson = JsonSerializer.Serialize(suite.Drills[0], RecordJson.Options);
        Assert.Contains("(truncated, ", suite.Reason, StringComparison.Ordinal);
        Assert.Contains("(truncated, ", suite.Drills[0].Reason, StringComparison.Ordinal);
        Assert.Contains("(truncated, ", suite.Drills[0].Line, StringComparison.Ordinal);
        Assert.All(suite.Events, e => Assert.Contains("(truncated, ", e.Reason, StringComparison.Ordinal));
        Assert.Contains("left_out", entryJson, StringComparison.Ordinal);
        Assert.DoesNotContain("unplanned", json, StringComparison.Ordinal);
    }

    /// <summary>A suite as <see cref="SuiteService"/> plans it: drills on nodes, each with its expectations as expected and missing.</summary>
    private static SuiteRecord Planned(int drills, int expectations)
    {
        var expect = Enumerable.Range(0, expectations).Select(i => "condition:SysLogsXIDError" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        return new SuiteRecord
        {
            SuiteId = "0123456789abcdef",
            Name = "worst-case",
            Concurrency = 4,
            Caller = "system:serviceaccount:ci:suites",
            CreatedAt = DateTimeOffset.UtcNow,
            Drills =
            [
                .. Enumerable.Range(0, drills).Select(i => new SuiteDrill
                {
                    Index = i,
                    Name = "xid 79",
                    NodeName = $"gpu-node-{i:000}",
                    Code = 79,
                    GpuId = 0,
                    Message = "GPU has fallen off the bus.",
                    Expect = [.. expect],
                    TimeoutSeconds = 600,
                    Missing = [.. expect],
                }),
            ],
        };
    }

    /// <summary>
    /// A drill's record far past every cap: a huge reason and line, <c>injected</c> with many large entries, every
    /// expectation met twice with large evidence, steps no expectation names, times past any span, missing lists
    /// with names it never expected.
    /// </summary>
    private static DrillRecord WorstDrill(SuiteDrill entry, DateTimeOffset now)
    {
        var drill = new DrillRecord
        {
            DrillId = "0123456789abcdef",
            FaultId = "drill-0123456789abcdef",
            NodeName = entry.NodeName,
            State = DrillState.Failed,
            Reason = $"Timed out after 600 s; never observed: {string.Join(", ", entry.Expect)} {Huge(20000)}",
            InjectedAt = now,
            EndedAt = now,
            Line = "NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, name=python3, " + Huge(8000),
            Missing = [.. entry.Expect, .. entry.Expect, "condition:unplanned"],
        };
        drill.Steps.Add(new DrillStep("injected", now, 0, Enumerable.Range(0, 30).ToDictionary(i => $"dcgm_field_{i}_{Huge(50)}", _ => Huge(3000), StringComparer.Ordinal)));
        foreach (var expectation in entry.Expect.Concat(entry.Expect).Append("unplanned-step"))
        {
            drill.Steps.Add(new DrillStep(expectation, DateTimeOffset.MaxValue, -1.2345678901234567E+300, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["type"] = expectation,
                ["status"] = "True",
                ["reason"] = Huge(2000),
                ["message"] = Huge(10000),
                ["last_transition_time"] = now.ToString("O", CultureInfo.InvariantCulture),
            }));
        }

        drill.Steps[1] = drill.Steps[1] with { SecondsSinceInjection = 1.2345678901234567E+300 };
        return drill;
    }

    private static string Huge(int length) => string.Concat(Enumerable.Repeat(Awkward, (length / Awkward.Length) + 1))[..length].TrimEnd('\ud83d');

    private static long Size(SuiteRecord suite) => JsonSerializer.SerializeToUtf8Bytes(suite, RecordJson.Options).LongLength;
}
