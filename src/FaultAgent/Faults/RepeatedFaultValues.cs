using System.Collections.Concurrent;
using FaultAgent.Drivers;
using FaultAgent.Injection;

namespace FaultAgent.Faults;

/// <summary>
/// One instance of each value that fault after fault repeats (#14, the agent's memory): the fault type, severity and
/// caller strings, the driver facts with their notes, and the companion records' texts (every record of an injection
/// but its Xid/SXid line: the same per GPU or NVSwitch, e.g. <c>NVRM: GPU 0000:3b:00.0: GPU has fallen off the bus.</c>). The registry keeps every fault it records (the benchmark's
/// throughput phase leaves ~6,000–8,000 active), and each injection used to build its own copies: on the simulated node
/// the driver facts alone (a note of ~330 characters, its list, the facts record) were ~0.8 KB of each fault's ~2.5 KB.
/// Equal values are handed out as the first instance seen, so records, journal lines and answers are unchanged.
/// At most <see cref="Capacity"/> values of each kind are kept (callers name themselves, so the set is not closed):
/// past that, a new value is used as it is, unshared.
/// </summary>
internal sealed class RepeatedFaultValues
{
    /// <summary>The most values of each kind kept for sharing.</summary>
    public const int Capacity = 256;

    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<DriverLineFacts, DriverLineFacts> _facts = new(DriverLineFactsContentComparer.Instance);

    // Kept apart from _strings: callers name themselves, and must not crowd the hardware's records out (or in).
    private readonly ConcurrentDictionary<string, string> _companionTexts = new(StringComparer.Ordinal);

    /// <summary>The kept instance equal to <paramref name="value"/>, or <paramref name="value"/> itself (kept from now on while there is room).</summary>
    public string Share(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Share(_strings, value);
    }

    /// <summary>The kept facts with the same content (notes compared line by line), or <paramref name="facts"/> itself with its strings shared.</summary>
    public DriverLineFacts Share(DriverLineFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (_facts.TryGetValue(facts, out var kept))
        {
            return kept;
        }

        if (_facts.Count >= Capacity)
        {
            return facts;
        }

        var shared = facts with
        {
            DriverVersion = Share(facts.DriverVersion),
            VersionSource = Share(facts.VersionSource),
            LineForm = Share(facts.LineForm),
            Notes = facts.Notes.Count == 0 ? [] : [.. facts.Notes.Select(Share)],
        };
        return _facts.GetOrAdd(shared, shared);
    }

    /// <summary>
    /// <paramref name="lines"/> with its companion records' texts shared (equal texts of earlier injections, while there is
    /// room); the main record, which carries the caller's message, is left as it is. Same records, same order.
    /// </summary>
    public InjectionLines ShareCompanionRecords(InjectionLines lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Records.Count <= 1)
        {
            return lines;
        }

        var records = new KernelLogLine[lines.Records.Count];
        for (var i = 0; i < records.Length; i++)
        {
            var record = lines.Records[i];
            records[i] = i == lines.MainRecordIndex ? record : record with { Text = Share(_companionTexts, record.Text) };
        }

        return lines with { Records = records };
    }

    private static string Share(ConcurrentDictionary<string, string> kept, string value) =>
        kept.TryGetValue(value, out var found) ? found
            : kept.Count < Capacity ? kept.GetOrAdd(value, value)
            : value;
}
