using FaultAgent.Dcgm;

namespace FaultAgent.Registry;

/// <summary>
/// The values of a <see cref="FaultRecord"/> that most faults never set (a message its line does not hold among them), held apart from it (#14, the agent's memory): an
/// active Xid fault written in full has none of them, and keeping their slots in every record cost ~70 bytes per fault.
/// A record without any holds <see cref="None"/>; setting one makes a new instance (records are immutable and
/// <c>with</c> shares this object with the original). Compared by value, so records compare as when they held these
/// fields themselves (lists by reference, as the record's own comparison does).
/// </summary>
internal sealed record FaultRecordExtras
{
    /// <summary>Every value at its default: what a record holds until one is set.</summary>
    public static readonly FaultRecordExtras None = new();

    public int NvSwitch { get; init; }

    public int Link { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string? EndedReason { get; init; }

    public string? EndedBy { get; init; }

    public IReadOnlyList<FaultKernelRecord> UnconfirmedRecords { get; init; } = [];

    public string? WriteError { get; init; }

    public IReadOnlyList<DcgmFieldWriteRecord> DcgmWrites { get; init; } = [];

    /// <summary>A message the fault's line does not hold, as given (<c>""</c> when the line holds it: <see cref="FaultRecord.Message"/>).</summary>
    public string? MessageText { get; init; } = "";

    /// <summary>A request fingerprint that is not a <see cref="RequestDigest"/>'s hex, as given (<c>""</c> when it is one).</summary>
    public string? FingerprintText { get; init; } = "";

    /// <summary>A fault id not of the generated form (<see cref="FaultIdentity.Text"/>), as given; null for a generated id.</summary>
    public string? FaultIdText { get; init; }

    /// <summary><see cref="None"/> when <paramref name="extras"/> holds only defaults, else <paramref name="extras"/>.</summary>
    public static FaultRecordExtras Shared(FaultRecordExtras extras) => None.Equals(extras) ? None : extras;
}
