using FaultAgent.Dcgm;
using FaultAgent.Drivers;

namespace FaultAgent.Registry;

/// <summary>One injected fault as the registry keeps (and persists) it.</summary>
public sealed record FaultRecord
{
    /// <remarks>Held as <see cref="FaultIdentity"/>: a generated id as its 16 bytes, rendered again when read (#14).</remarks>
    public required string FaultId
    {
        get => _faultId.ToString();
        init => _faultId = FaultIdentity.Of(value);
    }

    /// <summary>The fault id as held: what the registry's map compares and hashes (<see cref="FaultRecordMap"/>).</summary>
    internal FaultIdentity Identity => _faultId;

    private readonly FaultIdentity _faultId;

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
    /// Held as its place in <see cref="Line"/> when the line contains it (the last occurrence), and cut from the line when
    /// read: the line prints the message, so a second copy per fault is not kept (#14, the agent's memory, ~70 bytes per
    /// fault). Any other value is kept as given. The value read is the same either way, so are equality and the journal.
    /// </remarks>
    public string Message
    {
        get => _messageLength > 0 ? _line.Substring(_messageStart, _messageLength) : _messageText!;
        init
        {
            _messageText = value;
            HoldMessageInLine();
        }
    }

    /// <summary>The Xid / SXid line as monitors read it.</summary>
    /// <remarks>Held as <see cref="Registry.HeldLine"/>: an ASCII line as its bytes, built again when read (#14).</remarks>
    public string Line
    {
        get => _line.ToString();
        init
        {
            _messageText = Message;
            _line = HeldLine.Of(value);
            HoldMessageInLine();
        }
    }

    /// <summary>The line as held: what the Xid/SXid kernel record holds instead of its own copy (<see cref="FaultKernelRecord.RepeatingLine(Registry.HeldLine)"/>).</summary>
    internal HeldLine HeldLine => _line;

    // Line; Message: its own text, or (_messageLength > 0, _messageText null) _messageLength characters of _line from _messageStart.
    private HeldLine _line = HeldLine.Of("");
    private string? _messageText = "";
    private int _messageStart;
    private int _messageLength;

    /// <summary>Every record written, in order, with the kernel's proof.</summary>
    /// <remarks>
    /// Held as <see cref="HeldKernelRecords"/> (#14, the agent's memory): the records' values in one array, built again when
    /// read — equal to the records given, their texts the same instances. Compared by value: two faults whose records are
    /// equal one by one compare equal, whichever list instance they were given.
    /// </remarks>
    public IReadOnlyList<FaultKernelRecord> Records
    {
        get => _records.ToList();
        init => _records = HeldKernelRecords.Of(value);
    }

    /// <summary>The records as held: their count and the first one's sequence are read without building them.</summary>
    internal HeldKernelRecords HeldRecords => _records;

    private readonly HeldKernelRecords _records = HeldKernelRecords.Of([]);

    public FaultState State { get; init; }

    /// <remarks>Held with <see cref="ExpiresAt"/> as UTC ticks and offsets (<see cref="FaultInstants"/>, #14): the same instant and offset are read back.</remarks>
    public DateTimeOffset InjectedAt
    {
        get => _instants.InjectedAt;
        init => _instants = _instants.WithInjectedAt(value);
    }

    public DateTimeOffset? ExpiresAt
    {
        get => _instants.ExpiresAt;
        init => _instants = _instants.WithExpiresAt(value);
    }

    private readonly FaultInstants _instants;

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

    public string? IdempotencyKey { get; init; }

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
    public FaultWriteOutcome WriteOutcome { get; init; }

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

    // NvSwitch, Link, EndedAt, EndedReason, EndedBy, UnconfirmedRecords, WriteError, DcgmWrites and a fingerprint that is
    // not a digest: FaultRecordExtras.None until one is set (#14, the agent's memory: ~70 bytes less per fault).
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

    /// <summary>Holds a non-empty message as its last place in the line, when the line has it; leaves it as given otherwise.</summary>
    private void HoldMessageInLine()
    {
        _messageStart = 0;
        _messageLength = 0;
        if (_messageText is not { Length: > 0 } message || _line.IsNull)
        {
            return;
        }

        var start = _line.LastIndexOf(message);
        if (start < 0)
        {
            return;
        }

        _messageText = null;
        _messageStart = start;
        _messageLength = message.Length;
    }
}
