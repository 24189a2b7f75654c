using System.Collections;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace FaultAgent.Tests.Fuzz;

/// <summary>
/// Deterministic bad-input generator for the agent's gRPC requests: from a seed and a valid request, each field (found
/// through the message's descriptor, nested messages included) is kept or replaced by an edge value of its type — 0, -1,
/// the type's extremes, empty, huge and hostile strings, very long repeated fields, out-of-range durations and
/// timestamps — and the wire bytes may then get unknown fields, be cut short or be replaced by garbage. The same seed
/// always gives the same bytes, and <see cref="Describe"/> prints them so a failure reproduces.
/// </summary>
public sealed class AgentRequestFuzzer
{
    private static readonly string[] EdgeStrings =
    [
        string.Empty,
        new('a', 70_000),
        "\0",
        "a\0b",
        "line\nbreak",
        "cr\rlf\r\n",
        "tab\tesc\u001b[31m",
        "\u007f\u0001\u001f",
        "%s%n%x%%",
        "ünïcödé-ß",
        "\u202Eevil\u202C",
        "😀🔥",
        "../../etc/passwd",
        " ",
        "-",
        "GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b",
        "DCGM_FI_DEV_XID_ERRORS",
        "230",
        "1e309",
        "-9223372036854775809",
        "79",
        "kmsg",
        "dcgm",
        "Fatal",
        "535.161.08",
        "0000:4e:00.0",
        "AAAA",
        "eyJ4IjoxfQ",
    ];

    private static readonly int[] EdgeInt32 = [0, -1, 1, int.MinValue, int.MaxValue, 79, 13, 45, 48, 12028, 255, 256, 1000, 1001];
    private static readonly long[] EdgeInt64 = [0, -1, 1, long.MinValue, long.MaxValue, int.MaxValue + 1L, 4242, 1_000_000, 253_402_300_800_000];
    private static readonly uint[] EdgeUInt32 = [0, 1, uint.MaxValue, 0x8000_0000];

    private readonly Random _random;
    private readonly List<string> _changes = [];

    public AgentRequestFuzzer(int seed)
    {
        Seed = seed;
        _random = new Random(seed);
    }

    public int Seed { get; }

    /// <summary>The fields changed and the wire mutation applied, for the failure message.</summary>
    public IReadOnlyList<string> Changes => _changes;

    /// <summary>Replaces some of <paramref name="message"/>'s fields (in place) by edge values; <paramref name="keep"/> names fields left alone.</summary>
    public void MutateFields(IMessage message, IReadOnlySet<string> keep)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(keep);
        Mutate(message, keep, prefix: string.Empty, depth: 0);
    }

    /// <summary>The request's wire bytes, sometimes with unknown fields appended, cut short or replaced by garbage.</summary>
    public byte[] WireBytes(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var bytes = message.ToByteArray();
        switch (_random.Next(10))
        {
            case 0:
                _changes.Add("wire: unknown fields 999 (varint) and 1000 (bytes) appended");
                return [.. bytes, .. UnknownFields()];
            case 1 when bytes.Length > 1:
                var cut = _random.Next(1, bytes.Length);
                _changes.Add($"wire: cut to {cut} of {bytes.Length} bytes");
                return bytes[..cut];
            case 2:
                var garbage = new byte[_random.Next(1, 64)];
                _random.NextBytes(garbage);
                _changes.Add("wire: garbage " + Convert.ToHexString(garbage));
                return garbage;
            case 3:
                _changes.Add("wire: a length-delimited field 3 claiming 2^31 bytes");
                return [.. bytes, 0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07];
            default:
                return bytes;
        }
    }

    public string Describe(IMessage request, byte[] wire)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(wire);
        var text = request.ToString() ?? string.Empty;
        if (text.Length > 600)
        {
            text = text[..600] + $"... ({text.Length} chars)";
        }

        var changes = string.Join("; ", _changes);
        return string.Create(CultureInfo.InvariantCulture, $"seed {Seed}: {request.Descriptor.Name} {text} [{changes}] wire {wire.Length} bytes {Convert.ToHexString(wire.AsSpan(0, Math.Min(wire.Length, 96)))}");
    }

    private static byte[] UnknownFields()
    {
        var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(999, WireFormat.WireType.Varint);
        output.WriteInt64(-1);
        output.WriteTag(1000, WireFormat.WireType.LengthDelimited);
        output.WriteString("unknown \0 field");
        output.Flush();
        return stream.ToArray();
    }

    private void Mutate(IMessage message, IReadOnlySet<string> keep, string prefix, int depth)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var name = prefix + field.Name;
            // Seeds differ in how many fields they change (1 in 2 to 1 in 8), so some requests are mostly valid.
            if (keep.Contains(name) || _random.Next(2 + (Seed % 7)) != 0)
            {
                continue;
            }

            if (field.IsMap)
            {
                continue;
            }

            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                var count = _random.Next(4) switch { 0 => 0, 1 => 1, 2 => 3, _ => 5_000 };
                list.Clear();
                for (var i = 0; i < count; i++)
                {
                    var item = Value(field);
                    list.Add(item is string { Length: > 1_000 } && count > 1 ? "x" : item);
                }

                _changes.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {count} items"));
                continue;
            }

            if (field.FieldType == FieldType.Message)
            {
                var value = Value(field);
                if (value is IMessage nested && depth == 0 && nested.Descriptor.FullName.StartsWith("faultinjection.", StringComparison.Ordinal))
                {
                    var existing = field.Accessor.GetValue(message) as IMessage ?? nested;
                    Mutate(existing, keep, name + ".", depth + 1);
                    field.Accessor.SetValue(message, existing);
                    continue;
                }

                field.Accessor.SetValue(message, value);
                _changes.Add($"{name} = {value}");
                continue;
            }

            var scalar = Value(field);
            field.Accessor.SetValue(message, scalar);
            _changes.Add($"{name} = {Show(scalar)}");
        }
    }

    private object Value(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Pick(EdgeInt32),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Pick(EdgeInt64),
        FieldType.UInt32 or FieldType.Fixed32 => Pick(EdgeUInt32),
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)Pick(EdgeUInt32),
        FieldType.Bool => _random.Next(2) == 0,
        FieldType.String => Pick(EdgeStrings),
        FieldType.Double => Pick(new[] { double.NaN, double.PositiveInfinity, -1.0, 0.0 }),
        FieldType.Enum => System.Enum.ToObject(field.EnumType.ClrType, Pick(new[] { 0, 1, 999, -5 })),
        FieldType.Message when field.MessageType.FullName == Duration.Descriptor.FullName => Pick(
        [
            new Duration { Seconds = -1 },
            new Duration { Seconds = 0 },
            new Duration { Seconds = long.MaxValue },
            new Duration { Seconds = 315_576_000_001 },
            new Duration { Seconds = 1, Nanos = -1 },
            new Duration { Seconds = 0, Nanos = 1_000_000_000 },
            new Duration { Seconds = -1, Nanos = 1 },
            new Duration { Seconds = 60 },
        ]),
        FieldType.Message when field.MessageType.FullName == Timestamp.Descriptor.FullName => Pick(
        [
            new Timestamp { Seconds = long.MinValue },
            new Timestamp { Seconds = long.MaxValue },
            new Timestamp { Seconds = -62_135_596_801 },
            new Timestamp { Seconds = 253_402_300_800 },
            new Timestamp { Seconds = 0, Nanos = -1 },
            new Timestamp { Seconds = 0, Nanos = 1_000_000_000 },
            Timestamp.FromDateTime(new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
        ]),
        FieldType.Message => (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!,
        _ => throw new NotSupportedException($"{field.FullName}: {field.FieldType}"),
    };

    private T Pick<T>(IReadOnlyList<T> values) => values[_random.Next(values.Count)];

    private static string Show(object value) => value switch
    {
        string { Length: > 40 } s => $"\"{s[..8]}...\" ({s.Length} chars)",
        string s => "\"" + Escape(s) + "\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            builder.Append(c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.ToString();
    }
}
