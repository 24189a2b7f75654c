using System.Globalization;
using System.Text;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Storage;

namespace FaultApi.Suites;

/// <summary>
/// How much of a run's text a suite copies into its record (one ConfigMap of at most 1 MiB), so that
/// <see cref="SuiteRecordBudget.Estimate"/> is an upper bound and not a guess. Every limit is in bytes as the record
/// stores the text (UTF-8, JSON-escaped: a <c>&lt;</c> or a non-ASCII character counts as its <c>\uXXXX</c>), so a
/// text within it is also within it in plain UTF-8. A longer text is cut on a character boundary and ends with
/// <c>… (truncated, M bytes)</c>, M its whole length in UTF-8, the whole within the limit.
/// <para>
/// Why these are enough: a suite's drill entry is a copy for reading the suite at a glance; the drill's own record
/// (<c>GET /api/v1/drills/{drill_id}</c>, one ConfigMap per drill) holds every reason, line and piece of evidence
/// whole. Within the limits stay whole: a cancel's reason (<c>cancelled by &lt;caller&gt;: </c> and at most 256
/// characters) and an agent's or the API's problem in <see cref="ReasonBytes"/> (a timeout's reason names about ten
/// expectations there; <c>missing</c> lists them all); an Xid line with the longest message the API accepts (511
/// characters) in <see cref="LineBytes"/>; a node condition's message as node-problem-detector or NVSentinel writes it
/// (one kernel line, ~150 characters) in <see cref="EvidenceValueBytes"/>; a drill's injection proof with a condition,
/// a cordon and a taint step in <see cref="EvidenceBytesPerDrill"/>. An event's reason is a notice: the whole one is
/// in the entry. Per drill a run then adds at most ~3.3 KiB and ~220 bytes per expectation beside its own names
/// (<see cref="SuiteRecordBudget.Estimate"/>), so the largest suite allowed (<c>Suites:MaxDrills</c> 250 drills of a
/// few expectations) still fits its ConfigMap.
/// </para>
/// </summary>
public static class SuiteRecordCaps
{
    /// <summary>A drill entry's <c>reason</c> (its drill's reason, or the problem that kept it from starting).</summary>
    public const int ReasonBytes = 384;

    /// <summary>The suite's own <c>reason</c> (a failed suite's names every drill that did not pass; ~40 of them fit).</summary>
    public const int SuiteReasonBytes = 2048;

    /// <summary>An event's <c>reason</c>: a notice of progress; the whole reason is in the drill's entry (and the drill's record).</summary>
    public const int EventReasonBytes = 160;

    /// <summary>A drill entry's <c>line</c>, the kernel line written (prefix and a message of up to 511 characters).</summary>
    public const int LineBytes = 640;

    /// <summary>A drill or fault id as copied (the API makes them: 16 hex digits, <c>drill-</c> and those).</summary>
    public const int IdBytes = 24;

    /// <summary>One evidence entry's name (the API's own names, <c>dcgm_field_&lt;id&gt;</c> the longest).</summary>
    public const int EvidenceKeyBytes = 64;

    /// <summary>One evidence entry's value (a condition's message, the line, the pods evicted, ...).</summary>
    public const int EvidenceValueBytes = 256;

    /// <summary>One step's evidence entries at most, the last one <c>left_out</c> counting the rest when there are more.</summary>
    public const int EvidenceEntries = 8;

    /// <summary>
    /// The evidence of one drill's steps together, as stored (each step's object, braces, names and values); a step
    /// whose evidence would pass it keeps only <c>left_out</c>, saying how many entries and bytes the drill's record has.
    /// </summary>
    public const int EvidenceBytesPerDrill = 1024;

    /// <summary>A step's <c>seconds_since_injection</c> at most: the longest span two times can have (a stored value past it is no time).</summary>
    public const double MaxStepSeconds = 315537897599.999;

    /// <summary>The evidence entry that says what was left out.</summary>
    public const string LeftOutKey = "left_out";

    /// <summary>The step every drill has first: the injection's proof.</summary>
    public const string InjectedStep = "injected";

    /// <summary>The largest evidence object a step keeps when its evidence is left out (<see cref="LeftOut"/> with the largest figures it can name).</summary>
    public static int LeftOutBytes { get; } = JsonBytes(LeftOut(EvidenceEntries, 99999));

    /// <summary>
    /// <paramref name="text"/> when it takes at most <paramref name="maxBytes"/> as stored, else its longest start
    /// (whole characters) that does with <c>… (truncated, M bytes)</c> after it. Null stays null; a limit too small for
    /// the marker cuts without it.
    /// </summary>
    public static string? Text(string? text, int maxBytes)
    {
        if (text is null || (text.Length * 6L <= maxBytes) || (TryStoredBytes(text, out var stored) && stored <= maxBytes))
        {
            return text;
        }

        var marker = $"… (truncated, {Encoding.UTF8.GetByteCount(text).ToString(CultureInfo.InvariantCulture)} bytes)";
        var markerBytes = StoredBytes(marker);
        var budget = markerBytes <= maxBytes ? maxBytes - markerBytes : maxBytes;
        var kept = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            // A rune not valid UTF-16 (a lone surrogate) is enumerated as U+FFFD, which the record can hold.
            var one = rune.ToString();
            var cost = StoredBytes(one);
            if (used + cost > budget)
            {
                return markerBytes <= maxBytes ? kept.Append(marker).ToString() : kept.ToString();
            }

            used += cost;
            kept.Append(one);
        }

        return kept.ToString();
    }

    /// <summary>
    /// The steps a suite copies from its drill's: <c>injected</c> and the entry's own expectations, each once (the
    /// drill records no other), the time since the injection within [0, <see cref="MaxStepSeconds"/>] to the
    /// millisecond, each step's evidence capped (<see cref="Evidence"/>) and all of it within
    /// <see cref="EvidenceBytesPerDrill"/>.
    /// </summary>
    public static IList<DrillStep> Steps(IEnumerable<DrillStep> steps, IEnumerable<string> expect)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(expect);
        var allowed = new HashSet<string>(expect, StringComparer.Ordinal) { InjectedStep };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<DrillStep>();
        var used = 0;
        foreach (var step in steps)
        {
            if (!allowed.Contains(step.Step) || !seen.Add(step.Step))
            {
                continue;
            }

            var evidence = Evidence(step.Evidence);
            var bytes = JsonBytes(evidence);
            if (used + bytes <= EvidenceBytesPerDrill)
            {
                used += bytes;
            }
            else
            {
                evidence = LeftOut(evidence.Count, bytes);
            }

            kept.Add(step with { SecondsSinceInjection = Seconds(step.SecondsSinceInjection), Evidence = evidence });
        }

        return kept;
    }

    /// <summary>
    /// One step's evidence as copied: names within <see cref="EvidenceKeyBytes"/>, values within
    /// <see cref="EvidenceValueBytes"/>, at most <see cref="EvidenceEntries"/> entries (past that the first ones and
    /// <c>left_out</c>: "N more entries").
    /// </summary>
    public static Dictionary<string, string> Evidence(IReadOnlyDictionary<string, string> evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        var room = evidence.Count > EvidenceEntries ? EvidenceEntries - 1 : EvidenceEntries;
        foreach (var (key, value) in evidence.Take(room))
        {
            kept[Text(key, EvidenceKeyBytes)!] = Text(value ?? "", EvidenceValueBytes)!;
        }

        if (evidence.Count > room)
        {
            kept[LeftOutKey] = $"{(evidence.Count - room).ToString(CultureInfo.InvariantCulture)} more entries (the drill's record has them)";
        }

        return kept;
    }

    /// <summary>The evidence a step keeps when the drill's share is used: how many entries and bytes its drill's record has.</summary>
    public static Dictionary<string, string> LeftOut(int entries, int bytes) => new(StringComparer.Ordinal)
    {
        [LeftOutKey] = $"{entries.ToString(CultureInfo.InvariantCulture)} entries, {bytes.ToString(CultureInfo.InvariantCulture)} bytes",
    };

    /// <summary>A step's time since the injection as copied: within [0, <see cref="MaxStepSeconds"/>], to the millisecond.</summary>
    public static double Seconds(double seconds) => double.IsNaN(seconds) ? 0 : Math.Round(Math.Clamp(seconds, 0, MaxStepSeconds), 3);

    /// <summary>The bytes <paramref name="value"/> takes in the record (as <see cref="RecordJson.Options"/> writes it).</summary>
    public static int JsonBytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, RecordJson.Options).Length;

    /// <summary>The bytes valid <paramref name="text"/> takes in the record as a JSON string's content (escaped, without its quotes).</summary>
    public static int StoredBytes(string text) => JsonEncodedText.Encode(text, RecordJson.Options.Encoder).EncodedUtf8Bytes.Length;

    private static bool TryStoredBytes(string text, out int bytes)
    {
        try
        {
            bytes = StoredBytes(text);
            return true;
        }
        catch (ArgumentException)
        {
            // Not valid UTF-16 (a lone surrogate): copied rune by rune.
            bytes = 0;
            return false;
        }
    }
}
