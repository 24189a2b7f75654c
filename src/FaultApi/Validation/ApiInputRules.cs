using System.Globalization;
using System.Text.RegularExpressions;
using FaultApi.Faults;
using FaultApi.Routing;

namespace FaultApi.Validation;

/// <summary>
/// The API's input rules, in one place: every route checks its path, query, header and body fields here before it
/// calls an agent or writes anything, and the README's "Input rules" table lists the same charsets, lengths and ranges.
/// The numeric limits are what the driver prints (the agent's line builder holds the same ones): a pid as Linux
/// allocates them, a GPU Device Minor, an NVSwitch instance and link as the nvidia-nvswitch driver numbers them.
/// Each check adds to <see cref="RequestErrors"/> under the field's wire name and never repeats a refused value.
/// </summary>
public static partial class ApiInputRules
{
    /// <summary>A Kubernetes node name is an RFC 1123 DNS subdomain: at most 253 characters.</summary>
    public const int MaxNodeNameLength = 253;

    public const int MaxFaultIdLength = 128;

    public const int MaxIdempotencyKeyLength = 256;

    public const int MaxNodeSelectorLength = 512;

    /// <summary>The message body of an Xid/SXid line (the driver's print buffer holds 511 characters).</summary>
    public const int MaxMessageLength = 511;

    /// <summary>A process name as the driver prints it: the kernel's comm, at most 15 characters.</summary>
    public const int MaxProcessNameLength = 15;

    /// <summary>The reason of a clear or recover (the agent records at most this many characters).</summary>
    public const int MaxReasonLength = 256;

    /// <summary>The highest Device Minor of a GPU (NV_MINOR_DEVICE_NUMBER_REGULAR_MAX; above are the control devices).</summary>
    public const int MaxGpuId = 247;

    /// <summary>nvidia-nvswitch instances are 0 to 63 (NVSWITCH_DEVICE_INSTANCE_MAX is 64).</summary>
    public const int MaxNvSwitch = 63;

    /// <summary>Links are numbered 0 to 99 (the driver's NVSWITCH_MAX_NUM_LINKS is 100; it prints them <c>%02d</c>).</summary>
    public const int MaxLink = 99;

    public const int MaxXid = 999;

    public const int MaxSxid = 99999;

    /// <summary>Linux's largest pid_max (PID_MAX_LIMIT on 64-bit: 4 * 1024 * 1024); 0 means an unknown process.</summary>
    public const long MaxPid = 4_194_304;

    /// <summary>Nodes one selector injection may target (Kubernetes' largest supported cluster).</summary>
    public const int MaxCount = 5000;

    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(30);

    /// <summary>A node name: required or optional, an RFC 1123 subdomain (lower-case letters, digits, '-' and '.').</summary>
    public static string? NodeName(RequestErrors errors, string field, string? value, bool required)
    {
        if (Absent(errors, field, value, required))
        {
            return null;
        }

        if (value.Length > MaxNodeNameLength || !NodeNamePattern().IsMatch(value))
        {
            errors.Add(field, $"must be a Kubernetes node name: 1 to {MaxNodeNameLength} characters, lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");
            return null;
        }

        return value;
    }

    /// <summary>A route's one node field (<c>?node=</c>, <c>{node}</c>, a body's <c>node_name</c>) checked alone: 400 when bad.</summary>
    public static string? CheckedNodeName(string field, string? value, bool required = false)
    {
        var errors = new RequestErrors();
        var node = NodeName(errors, field, value, required);
        errors.ThrowIfAny();
        return node;
    }

    /// <summary>A fault id: 1 to 128 characters from [A-Za-z0-9._-] (the agent's rule).</summary>
    public static string? FaultId(RequestErrors errors, string field, string? value, bool required)
    {
        if (Absent(errors, field, value, required))
        {
            return null;
        }

        if (!FaultIdPattern().IsMatch(value))
        {
            errors.Add(field, $"must be 1 to {MaxFaultIdLength} characters from A-Z a-z 0-9 . _ -");
            return null;
        }

        return value;
    }

    /// <summary>A bug report id: 1 to 128 characters from [A-Za-z0-9._-], starting with a letter or digit.</summary>
    public static string? ReportId(RequestErrors errors, string field, string? value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(value) || !ReportIdPattern().IsMatch(value))
        {
            errors.Add(field, "must be a bug report id: 1 to 128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit");
            return null;
        }

        return value;
    }

    /// <summary>The Idempotency-Key header: 1 to 256 printable ASCII characters.</summary>
    public static string? IdempotencyKey(RequestErrors errors, string field, string? value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is null)
        {
            return null;
        }

        if (value.Length is 0 or > MaxIdempotencyKeyLength || !IsPrintableAscii(value))
        {
            errors.Add(field, $"must be 1 to {MaxIdempotencyKeyLength} printable ASCII characters");
            return null;
        }

        return value;
    }

    /// <summary>Free text that ends up in a kernel-log line or a record: printable ASCII, never a control character.</summary>
    public static string? Text(RequestErrors errors, string field, string? value, int maxLength, bool required = false)
    {
        if (Absent(errors, field, value, required))
        {
            return null;
        }

        if (value.Length > maxLength || !IsPrintableAscii(value))
        {
            errors.Add(field, $"must be at most {maxLength.ToString(CultureInfo.InvariantCulture)} printable ASCII characters (no newline, tab or other control character)");
            return null;
        }

        return value;
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>]; null is an error when required.</summary>
    public static T? Range<T>(RequestErrors errors, string field, T? value, T min, T max, bool required)
        where T : struct, IComparable<T>
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is not { } v)
        {
            if (required)
            {
                errors.Add(field, "is required");
            }

            return null;
        }

        if (v.CompareTo(min) < 0 || v.CompareTo(max) > 0)
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"must be from {min} to {max}"));
            return null;
        }

        return v;
    }

    /// <summary>A duration in seconds: more than 0 and at most 30 days; unset means until cleared.</summary>
    public static TimeSpan? Duration(RequestErrors errors, string field, double? seconds)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (seconds is not { } s)
        {
            return null;
        }

        if (!double.IsFinite(s) || s <= 0 || s > MaxDuration.TotalSeconds)
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"must be a number of seconds, more than 0 and at most {MaxDuration.TotalSeconds} (30 days); leave it out for a fault that lasts until cleared"));
            return null;
        }

        return TimeSpan.FromSeconds(s);
    }

    /// <summary>The number in a route such as <c>xid-{n}</c>: decimal digits within 1 to <paramref name="max"/>.</summary>
    public static int Code(RequestErrors errors, string field, string? text, int max)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (text is { Length: > 0 and <= 9 } && text.All(char.IsAsciiDigit) && int.Parse(text, CultureInfo.InvariantCulture) is var code && code >= 1 && code <= max)
        {
            return code;
        }

        errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"must be a whole number from 1 to {max} in the route ({field}-<n>)"));
        return 0;
    }

    /// <summary>A node label selector: printable ASCII, at most 512 characters, Kubernetes selector syntax.</summary>
    public static LabelSelector? NodeSelector(RequestErrors errors, string field, string? value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is null)
        {
            return null;
        }

        if (value.Length > MaxNodeSelectorLength || !IsPrintableAscii(value))
        {
            errors.Add(field, $"must be a label selector of at most {MaxNodeSelectorLength} printable ASCII characters");
            return null;
        }

        if (!LabelSelector.TryParse(value, out var selector, out var error))
        {
            errors.Add(field, error);
            return null;
        }

        return selector;
    }

    /// <summary>
    /// Where an injection goes: exactly one of <c>node_name</c> (one node; <c>count</c> absent or 1) or
    /// <c>node_selector</c> with <c>count</c> (1 to 5000, default 1), and an optional <c>fault_id</c>.
    /// </summary>
    public static InjectionTarget? Target(RequestErrors errors, IInjectionTargetBody body)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(body);
        var before = errors.Count;
        var node = NodeName(errors, "node_name", body.NodeName, required: false);
        var selector = NodeSelector(errors, "node_selector", body.NodeSelector);
        var id = FaultId(errors, "fault_id", body.FaultId, required: false);
        var n = Range(errors, "count", body.Count, 1, MaxCount, required: false);
        if (string.IsNullOrEmpty(body.NodeName) == (body.NodeSelector is null))
        {
            errors.Add("node_name", "give exactly one of node_name (one node) or node_selector (with count)");
        }
        else if (!string.IsNullOrEmpty(body.NodeName) && body.Count is not null and not 1)
        {
            errors.Add("count", "goes with node_selector; node_name targets one node");
        }

        return errors.Count > before ? null : new InjectionTarget(node, selector, body.NodeSelector, n, id, body.DryRun);
    }

    /// <summary>
    /// With a selector the fault id on each node is <c>&lt;fault_id&gt;-&lt;node&gt;</c>, which must stay a fault id
    /// (at most 128 characters) on every node chosen.
    /// </summary>
    public static void FaultIdPerNode(RequestErrors errors, string? faultId, IEnumerable<string> nodes)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(nodes);
        if (!string.IsNullOrEmpty(faultId) && nodes.Any(n => faultId.Length + 1 + n.Length > MaxFaultIdLength))
        {
            errors.Add("fault_id", $"is too long for the chosen nodes: <fault_id>-<node> must be at most {MaxFaultIdLength} characters");
        }
    }

    /// <summary>A full PCI address as the NVSwitch's directory names it: <c>dddd:bb:dd.f</c> in hex.</summary>
    public static string? PciBusId(RequestErrors errors, string field, string? value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!PciBdfPattern().IsMatch(value))
        {
            errors.Add(field, "must be a full PCI address dddd:bb:dd.f (hex digits)");
            return null;
        }

        return value;
    }

    /// <summary>An RFC 3339 time (<c>2026-01-31T12:00:00Z</c>, with an offset or Z).</summary>
    public static DateTimeOffset? Time(RequestErrors errors, string field, string? value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > 64 || !Rfc3339Pattern().IsMatch(value)
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            errors.Add(field, "must be an RFC 3339 time with an offset, e.g. 2026-01-31T12:00:00Z");
            return null;
        }

        return time;
    }

    /// <summary>True when <paramref name="value"/> is not given (a required one is then an error), so the caller returns.</summary>
    private static bool Absent(RequestErrors errors, string field, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? value, bool required)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!string.IsNullOrEmpty(value))
        {
            return false;
        }

        if (required)
        {
            errors.Add(field, "is required");
        }

        return true;
    }

    public static bool IsPrintableAscii(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NodeNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex FaultIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ReportIdPattern();

    [GeneratedRegex(@"^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]\z", RegexOptions.CultureInvariant)]
    private static partial Regex PciBdfPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339Pattern();
}
