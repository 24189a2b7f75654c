namespace FaultAgent.Dcgm;

/// <summary>One line of the DCGM write ledger (snake_case JSON).</summary>
public sealed record DcgmLedgerEntry
{
    /// <summary><c>writing</c>: a write to DCGM is about to happen; <c>settled</c>: it was taken back (or never kept).</summary>
    public required string Op { get; init; }

    public required string FaultId { get; init; }

    /// <summary>Set on <c>writing</c>: the write, with the value that takes it back.</summary>
    public DcgmFieldWriteRecord? Write { get; init; }

    public int FieldId { get; init; }

    public string PciBusId { get; init; } = "";

    public DateTimeOffset At { get; init; }
}
