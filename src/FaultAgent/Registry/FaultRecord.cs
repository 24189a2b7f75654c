using System.Text;
using FaultAgent.Dcgm;
using FaultAgent.Drivers;

namespace FaultAgent.Registry;

/// <summary>One injected fault as the registry keeps (and persists) it.</summary>
/// <remarks>
/// Compared by value (<see cref="Equals(FaultRecord?)"/>): every field below, each held in one form for one value, so
/// equal values are equal fields; <see cref="InjectedAt"/> and <see cref="ExpiresAt"/> as instants, their offsets not compared.
/// </remarks>
public sealed record FaultRecord
{
    /// <remarks>
    /// Held as <see cref="FaultIdentity"/>: a generated id as its 16 bytes, rendered again when read (#14); here as those two
    /// words, an id of another form as its text among the extras (#14, the agent's memory, faultbytes5: one reference fewer
    /// in every record, 8 bytes).
    /// </remarks>
    public required string FaultId
    {
        get => Identity.ToString();
        init
        {
            var identity = FaultIdentity.Of(value);
            _faultIdHigh = identity.High;
            _faultIdLow = identity.Low;
            SetExtras(string.Equals(_extras.FaultIdText, identity.Text, StringComparison.Ordinal) ? _extras : _extras with { FaultIdText = identity.Text });
        }
    }

    /// <summary>The fault id as held: what the registry's map compares and hashes (<see cref="FaultRecordMap"/>).</summary>
    internal FaultIdentity Identity => FaultIdentity.FromParts(_faultIdHigh, _faultIdLow, _extras.FaultIdText);

    // FaultId: a generated id's words (FaultIdentity.High, Low); another id's text is _extras.FaultIdText.
    private readonly ulong _faultIdHigh;
    private readonly ulong _faultIdLow;

    /// <remarks>This and the other values faults share (the node, kind, code, fault type, GPU, caller, boot id, severity, action, surfaces, driver facts) are held in one <see cref="FaultOrigin"/> (#14).</remarks>
    public required string NodeName
    {
        get => _origin.NodeName;
        init => Origin().NodeName = value;
    }

    public required FaultKind Kind
    {
        get => _origin.Kind;
        init => Origin().Kind = value;
    }

    /// <summary>The Xid or SXid number.</summary>
    public required int Code
    {
        get => _origin.Code;
        init => Origin().Code = value;
    }

    /// <summary><c>gpu_xid_79</c>, <c>nvswitch_sxid_12028</c>.</summary>
    public required string FaultType
    {
        get => _origin.FaultType;
        init => Origin().FaultType = value;
    }

    public int GpuId
    {
        get => _origin.GpuId;
        init => Origin().GpuId = value;
    }

    /// <summary>Full BDF of the GPU or NVSwitch (dddd:bb:dd.f).</summary>
    public string PciBusId
    {
        get => _origin.PciBusId;
        init => Origin().PciBusId = value;
    }

    public string GpuUuid
    {
        get => _origin.GpuUuid;
        init => Origin().GpuUuid = value;
    }

    public int NvSwitch
    {
        get => _extras.NvSwitch;
        init => SetExtras(_extras.NvSwitch == value ? _extras : _extras with { NvSwitch = value });
    }

    public int Link
    {
        get => _extras.Link;
        init => SetExtras(_extras.Link == value ? _extras : _extras with { Link = value });
    }

    /// <summary>The message body after <c>"&lt;code&gt;, "</c>.</summary>
    /// <remarks>
    /// Not kept a second time beside <see cref="Line"/>, which prints it (#14, the agent's memory): the line's end when the
    /// line ends with it (<see cref="LineForm.HeadAndMessage"/>), else its place in the line (the last occurrence), cut from
    /// the line when read. A message the line does not hold is kept as given. The value read is the same either way, so
    /// are equality and the journal.
    /// </remarks>
    public string Message
    {
        get => _lineForm switch
        {
            LineForm.HeadAndMessage => Encoding.ASCII.GetString(_text.AsciiBytes!),
            LineForm.HeadAndMessageBehindRecords => Encoding.ASCII.GetString(_records.PackedMessage),
            LineForm.MessageOnly => (string)_text.Value!,
            _ => _messageLength > 0 ? _text.Substring(_messageStart, _messageLength) : _extras.MessageText!,
        };
        init => HoldLineAndMessage(Line, value);
    }

    /// <summary>The Xid / SXid line as monitors read it.</summary>
    /// <remarks>
    /// Held as a kept head (<see cref="HeldLineHeads"/>: <c>NVRM: Xid (PCI:…): 79, pid=…, name=…, </c>, the same for every
    /// fault of a GPU, Xid and process) and the message's ASCII bytes when the line is that head and the message (#14, the
    /// agent's memory: ~64 bytes less per fault than the whole line's bytes); else as a <see cref="HeldText"/> (an ASCII
    /// line as its bytes). Built again when read.
    /// </remarks>
    public string Line
    {
        get => _lineForm == LineForm.HeadAndMessageBehindRecords
            ? HeldLineHeads.Line(_lineHead, _records.PackedArray!, PackedKernelRecords.MessageStart(_records.PackedArray!))
            : HeldLine.ToString();
        init => HoldLineAndMessage(value, Message);
    }

    /// <summary>
    /// The line as held: what the Xid/SXid kernel record holds instead of its own copy (<see cref="FaultKernelRecord.RepeatingLine(Registry.HeldLine)"/>).
    /// A fault whose message is held behind its records (<see cref="HoldsMessageBehindRecords"/>) gives a copy of the message's bytes.
    /// </summary>
    internal HeldLine HeldLine => _lineForm switch
    {
        LineForm.HeadAndMessage => new HeldLine(_text, _lineHead),
        LineForm.HeadAndMessageBehindRecords => new HeldLine(HeldText.OfAscii(_records.PackedMessage.ToArray()), _lineHead),
        LineForm.MessageOnly => new HeldLine(HeldText.Of(""), 0),
        _ => new HeldLine(_text, 0),
    };

    // Line and Message as _lineForm says: the line's head's index (_lineHead) and the message's bytes (_text, or behind the
    // records in _records: _text then null); the message (_text) with the line ""; or the line (_text) with the message as
    // _messageLength characters of it from _messageStart, or (_messageLength 0) as _extras.MessageText.
    private HeldText _text = HeldText.Of("");
    private ushort _lineHead;
    private ushort _messageStart;
    private ushort _messageLength;
    private LineForm _lineForm = LineForm.MessageOnly;

    /// <summary>Every record written, in order, with the kernel's proof.</summary>
    /// <remarks>
    /// Held as <see cref="HeldKernelRecords"/> (#14, the agent's memory): the records' values in one array, built again when
    /// read — equal to the records given, their texts the same instances; for a fault whose line is a kept head and its
    /// message, with the message's bytes behind them in that one array when every record's text is the line or a kept
    /// companion text (<see cref="PackedKernelRecords"/>, faultbytes4), each record's text then built again too. Compared by
    /// value: two faults whose records are equal one by one compare equal, whichever list instance they were given.
    /// </remarks>
    public IReadOnlyList<FaultKernelRecord> Records
    {
        get => _records.ToList();
        init => HoldRecords(value);
    }

    /// <summary>The records as held: their count and the first one's sequence are read without building them.</summary>
    internal HeldKernelRecords HeldRecords => _records;

    /// <summary>
    /// This fault with <paramref name="outcome"/> and its packed records (<see cref="HoldsMessageBehindRecords"/>) carrying
    /// <paramref name="proofs"/>, one per record: equal to <c>this with { WriteOutcome, Records }</c> given the records
    /// <c>with</c> those proofs, without building them (<see cref="RecordedDelta.Apply"/>).
    /// </summary>
    internal FaultRecord WithPackedProofs(FaultWriteOutcome outcome, IReadOnlyList<FaultRecordProof> proofs)
    {
        var recorded = this with { WriteOutcome = outcome };
        recorded._records = _records.WithPackedProofs(proofs);
        return recorded;
    }

    /// <summary>Whether the message's bytes are held behind the kernel records, in one array (<see cref="LineForm.HeadAndMessageBehindRecords"/>): the records are then matched to the line by their text, not by the instance that holds it.</summary>
    internal bool HoldsMessageBehindRecords => _lineForm == LineForm.HeadAndMessageBehindRecords;

    private HeldKernelRecords _records = HeldKernelRecords.Of([]);

    /// <remarks>Held as a byte (#14, the agent's memory), as is <see cref="WriteOutcome"/>.</remarks>
    public FaultState State
    {
        get => (FaultState)_state;
        init => _state = SmallValue(nameof(State), (int)value);
    }

    private readonly byte _state;

    /// <remarks>
    /// Held with <see cref="ExpiresAt"/> as UTC ticks and offsets in minutes (#14, the agent's memory: 20 bytes instead of a
    /// <see cref="DateTimeOffset"/> and a nullable one, 40): the same instant and offset are read back.
    /// </remarks>
    public DateTimeOffset InjectedAt
    {
        get => FaultInstants.At(_injectedUtcTicks, _injectedOffsetMinutes);
        init
        {
            _injectedUtcTicks = value.UtcTicks;
            _injectedOffsetMinutes = (short)value.TotalOffsetMinutes;
        }
    }

    public DateTimeOffset? ExpiresAt
    {
        get => _expiresUtcTicksPlusOne == 0 ? null : FaultInstants.At(_expiresUtcTicksPlusOne - 1, _expiresOffsetMinutes);
        init
        {
            _expiresUtcTicksPlusOne = value is { } at ? at.UtcTicks + 1 : 0;
            _expiresOffsetMinutes = (short)(value?.TotalOffsetMinutes ?? 0);
        }
    }

    private readonly long _injectedUtcTicks;

    // 0: no expiry; else the expiry's UTC ticks + 1.
    private readonly long _expiresUtcTicksPlusOne;
    private readonly short _injectedOffsetMinutes;
    private readonly short _expiresOffsetMinutes;

    public DateTimeOffset? EndedAt
    {
        get => _extras.EndedAt;
        init => SetExtras(_extras.EndedAt == value ? _extras : _extras with { EndedAt = value });
    }

    public string? EndedReason
    {
        get => _extras.EndedReason;
        init => SetExtras(ReferenceEquals(_extras.EndedReason, value) ? _extras : _extras with { EndedReason = value });
    }

    /// <summary>Who ended it (a clear or an emergency stop): the caller as recorded for injections; null for expiry and reboot.</summary>
    public string? EndedBy
    {
        get => _extras.EndedBy;
        init => SetExtras(ReferenceEquals(_extras.EndedBy, value) ? _extras : _extras with { EndedBy = value });
    }

    /// <summary>Who injected it: the token name, then <c>/</c> and the <c>x-fault-caller</c> the token holder named.</summary>
    public string Caller
    {
        get => _origin.Caller;
        init => Origin().Caller = value;
    }

    /// <remarks>
    /// Held as <see cref="HeldIdempotencyKey"/>: as given, and once the record is in the registry's map a key of the form the
    /// API sends (<c>api-</c> and 48 hex digits) as its 24 bytes (#14, the agent's memory: ~88 bytes less per fault the API
    /// injects). The same text is read either way.
    /// </remarks>
    public string? IdempotencyKey
    {
        get => _idempotencyKey.ToString();
        init => _idempotencyKey = HeldIdempotencyKey.Of(value);
    }

    /// <summary>The idempotency key as held: what the registry's key index compares and hashes.</summary>
    internal HeldIdempotencyKey HeldIdempotencyKey => _idempotencyKey;

    private HeldIdempotencyKey _idempotencyKey;

    /// <summary>Holds the idempotency key in its compact form (<see cref="HeldIdempotencyKey.Compact"/>) when it has one: the registry's map, under its lock, as a record enters it. The key read stays the same.</summary>
    internal void CompactIdempotencyKey() => _idempotencyKey = _idempotencyKey.Compact();

    /// <summary>A digest of what was asked, to tell a retry from a different request reusing an id or key.</summary>
    /// <remarks>
    /// Kept as its 32 bytes (<see cref="RequestDigest"/>) when it is the 64 lowercase hex digits the agent writes, and rendered
    /// back to exactly that string when read (journal, answers): one fewer string per fault held (#14). Any other value is
    /// kept as given. Records compare equal exactly when their fingerprints do.
    /// </remarks>
    public string RequestFingerprint
    {
        get => _fingerprintIsDigest ? _fingerprintDigest.ToHex() : _extras.FingerprintText!;
        init
        {
            _fingerprintIsDigest = RequestDigest.TryParse(value, out _fingerprintDigest);
            var text = _fingerprintIsDigest ? "" : value;
            SetExtras(ReferenceEquals(_extras.FingerprintText, text) ? _extras : _extras with { FingerprintText = text });
        }
    }

    // RequestFingerprint: its digest, or the value as given when it is not one (held in _extras).
    private readonly bool _fingerprintIsDigest;
    private readonly RequestDigest _fingerprintDigest;

    /// <summary>The node's boot id when the fault was injected.</summary>
    public string BootId
    {
        get => _origin.BootId;
        init => Origin().BootId = value;
    }

    public string Severity
    {
        get => _origin.Severity;
        init => Origin().Severity = value;
    }

    public string RecommendedAction
    {
        get => _origin.RecommendedAction;
        init => Origin().RecommendedAction = value;
    }

    /// <summary>How the write ended (<see cref="FaultWriteOutcome.Verified"/> for every record before this field existed).</summary>
    public FaultWriteOutcome WriteOutcome
    {
        get => (FaultWriteOutcome)_writeOutcome;
        init => _writeOutcome = SmallValue(nameof(WriteOutcome), (int)value);
    }

    private readonly byte _writeOutcome;

    /// <summary>Planned records not proven to be in the kernel log, in order (sequence 0): empty when verified.</summary>
    public IReadOnlyList<FaultKernelRecord> UnconfirmedRecords
    {
        get => _extras.UnconfirmedRecords;
        init
        {
            // An empty list is held as the shared empty one: a fault read back from the journal (a list of its own) holds no extras object for it.
            value = value is { Count: 0 } ? FaultRecordExtras.None.UnconfirmedRecords : value;
            SetExtras(ReferenceEquals(_extras.UnconfirmedRecords, value) ? _extras : _extras with { UnconfirmedRecords = value });
        }
    }

    /// <summary>Why the write did not complete; null when verified.</summary>
    public string? WriteError
    {
        get => _extras.WriteError;
        init => SetExtras(ReferenceEquals(_extras.WriteError, value) ? _extras : _extras with { WriteError = value });
    }

    /// <summary>Where the fault was written: <c>kmsg</c> (the kernel log), <c>dcgm</c> (DCGM fields).</summary>
    public IReadOnlyList<string> Surfaces
    {
        get => _origin.Surfaces;
        init => Origin().Surfaces = value;
    }

    /// <summary>Every value written into DCGM for the fault, with its read-back proof and how it was taken back.</summary>
    public IReadOnlyList<DcgmFieldWriteRecord> DcgmWrites
    {
        get => _extras.DcgmWrites;
        init
        {
            value = value is { Count: 0 } ? FaultRecordExtras.None.DcgmWrites : value;
            SetExtras(ReferenceEquals(_extras.DcgmWrites, value) ? _extras : _extras with { DcgmWrites = value });
        }
    }

    /// <summary>Which driver format the lines follow, their MIG attribution, and notes (issue #12); null in older records.</summary>
    public DriverLineFacts? Driver
    {
        get => _origin.Driver;
        init => Origin().Driver = value;
    }

    // NvSwitch, Link, EndedAt, EndedReason, EndedBy, UnconfirmedRecords, WriteError, DcgmWrites, a message the line does
    // not hold, a fingerprint that is not a digest and a fault id not of the generated form: FaultRecordExtras.None until one is set (#14, the agent's memory:
    // ~70 bytes less per fault).
    private FaultRecordExtras _extras = FaultRecordExtras.None;

    // NodeName, Kind, Code, FaultType, GpuId, PciBusId, GpuUuid, Caller, BootId, Severity, RecommendedAction, Surfaces,
    // Driver: FaultOrigin.Defaults, then an instance of this record's own while it is initialized, then (once in the
    // registry's map) the instance equal faults share.
    private FaultOrigin _origin = FaultOrigin.Defaults;

    /// <summary>The origin this record sets values in while it is initialized: its own (copied from the one it holds on its first set).</summary>
    private FaultOrigin Origin() => _origin = _origin.OwnedBy(this);

    /// <summary>Holds the instance of <paramref name="origins"/> equal to this record's origin (the registry's map, under its lock): the values read stay the same.</summary>
    internal void ShareOrigin(FaultOriginSet origins) => _origin = origins.Share(_origin);

    /// <summary>Whether this record holds a shared origin (<see cref="ShareOrigin"/>).</summary>
    internal bool HoldsSharedOrigin => _origin.IsShared;

    private void SetExtras(FaultRecordExtras extras) => _extras = ReferenceEquals(extras, _extras) ? extras : FaultRecordExtras.Shared(extras);

    /// <summary><paramref name="value"/> as the byte a small enum is held in; one outside a byte (no named value is) is refused.</summary>
    private static byte SmallValue(string name, int value) =>
        value is >= 0 and <= byte.MaxValue ? (byte)value : throw new ArgumentOutOfRangeException(name, value, $"{name} {value} is not a value the registry holds (0 to 255).");

    /// <summary>
    /// Holds <paramref name="line"/> and <paramref name="message"/> in the one form their values give (so equal values are
    /// equal fields): a line "" with the message as given; a line that is a head and a non-empty ASCII message behind it as
    /// the kept head's index and the message's bytes, while the head is kept (<see cref="HeldLineHeads"/>); else the line,
    /// with the message as its last place in it or, when it has none, as given.
    /// </summary>
    private void HoldLineAndMessage(string? line, string? message)
    {
        if (_lineForm == LineForm.HeadAndMessageBehindRecords)
        {
            // The records keep the text they have, the line's bytes held apart again (as RepeatingLine made them).
            _records = _records.Unpacked(out var ascii);
            _text = HeldText.OfAscii(ascii!);
            _lineForm = LineForm.HeadAndMessage;
        }

        _lineHead = 0;
        _messageStart = 0;
        _messageLength = 0;
        var messageText = "";
        if (line is { Length: 0 })
        {
            _lineForm = LineForm.MessageOnly;
            _text = HeldText.AsGiven(message);
        }
        else if (line is not null
            && message is { Length: > 0 }
            && line.Length > message.Length
            && line.AsSpan(line.Length - message.Length).SequenceEqual(message)
            && Ascii.IsValid(message)
            && HeldLineHeads.TryIndex(line.AsSpan(0, line.Length - message.Length), out var head))
        {
            _lineForm = LineForm.HeadAndMessage;
            _lineHead = head;
            _text = HeldText.Of(message);
        }
        else
        {
            _lineForm = LineForm.Line;
            _text = HeldText.Of(line);
            var start = message is { Length: > 0 and <= ushort.MaxValue } && !_text.IsNull ? _text.LastIndexOf(message) : -1;
            if (start is >= 0 and <= ushort.MaxValue)
            {
                _messageStart = (ushort)start;
                _messageLength = (ushort)message!.Length;
            }
            else
            {
                messageText = message!;
            }
        }

        SetExtras(string.Equals(_extras.MessageText, messageText, StringComparison.Ordinal) ? _extras : _extras with { MessageText = messageText });
        if (_lineForm == LineForm.HeadAndMessage && _records.Count > 0 && PackedKernelRecords.TryPack(_records.ToList(), _lineHead, _text.AsciiBytes, out var packed))
        {
            HoldPacked(packed);
        }
    }

    /// <summary>
    /// Holds <paramref name="records"/>: with the message's bytes behind them in one array when the line is a kept head and
    /// the message and every record fits (<see cref="PackedKernelRecords.TryPack"/>); else as <see cref="HeldKernelRecords.Of"/>
    /// holds them, the message's bytes apart. Which form follows from the values alone, whatever order they are set in.
    /// </summary>
    private void HoldRecords(IReadOnlyList<FaultKernelRecord> records)
    {
        var message = _lineForm switch
        {
            LineForm.HeadAndMessageBehindRecords => _records.PackedMessage,
            LineForm.HeadAndMessage => _text.AsciiBytes,
            _ => default,
        };

        if (!message.IsEmpty && PackedKernelRecords.TryPack(records, _lineHead, message, out var packed))
        {
            HoldPacked(packed);
            return;
        }

        if (_lineForm == LineForm.HeadAndMessageBehindRecords)
        {
            _text = HeldText.OfAscii(message.ToArray());
            _lineForm = LineForm.HeadAndMessage;
        }

        _records = HeldKernelRecords.Of(records);
    }

    private void HoldPacked(byte[] packed)
    {
        _records = HeldKernelRecords.Packed(packed);
        _text = default;
        _lineForm = LineForm.HeadAndMessageBehindRecords;
    }

    public bool Equals(FaultRecord? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && _faultIdHigh == other._faultIdHigh
            && _faultIdLow == other._faultIdLow
            && _lineForm == other._lineForm
            && _lineHead == other._lineHead
            && _messageStart == other._messageStart
            && _messageLength == other._messageLength
            && _text.Equals(other._text)
            && _records.Equals(other._records)
            && _state == other._state
            && _writeOutcome == other._writeOutcome
            && _injectedUtcTicks == other._injectedUtcTicks
            && _expiresUtcTicksPlusOne == other._expiresUtcTicksPlusOne
            && _idempotencyKey.Equals(other._idempotencyKey)
            && _fingerprintIsDigest == other._fingerprintIsDigest
            && _fingerprintDigest.Equals(other._fingerprintDigest)
            && _extras.Equals(other._extras)
            && _origin.Equals(other._origin));

    public override int GetHashCode() =>
        HashCode.Combine(Identity, _text, _records, _injectedUtcTicks, _expiresUtcTicksPlusOne, _idempotencyKey, _fingerprintDigest, _origin);
}
