using FaultAgent.Gpus;
using FaultAgent.Registry;

namespace FaultAgent.Injection;

/// <summary>
/// The driver's once-per-GPU preamble as records: <c>NVRM: GPU at PCI:&lt;dddd:bb:dd&gt;: GPU-&lt;uuid&gt;</c> and
/// <c>NVRM: GPU Board Serial Number: &lt;serial&gt;</c> (<c>krcLogUuidOnce</c> prints no serial line for a board without one,
/// and no other form), written before the GPU's Xid line. No other line the agent writes starts as they do, so a fault's
/// records tell whether its write carried the preamble (<see cref="PrintedBy"/>): what <see cref="GpuPreambleLedger"/>
/// learns from a finished write and, after a crash, from the registry's faults.
/// </summary>
public static class GpuPreambleRecords
{
    /// <summary>The UUID line up to the GPU's address.</summary>
    public const string UuidLinePrefix = "NVRM: GPU at PCI:";

    /// <summary>The serial line up to the serial.</summary>
    public const string SerialLinePrefix = "NVRM: GPU Board Serial Number: ";

    private static readonly string UuidRecordPrefix = JournaldIdentifier.ToRecordText(UuidLinePrefix);
    private static readonly string SerialRecordPrefix = JournaldIdentifier.ToRecordText(SerialLinePrefix);

    /// <summary>True for a record text (journald's identifier doubled, as written) of a preamble line.</summary>
    public static bool IsPreamble(string recordText)
    {
        ArgumentNullException.ThrowIfNull(recordText);
        return recordText.StartsWith(UuidRecordPrefix, StringComparison.Ordinal) || recordText.StartsWith(SerialRecordPrefix, StringComparison.Ordinal);
    }

    /// <summary>True when <paramref name="records"/> (an injection's, in write order) carry the GPU's preamble.</summary>
    public static bool Carries(IReadOnlyList<KernelLogLine> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return records.Count > 0 && IsPreamble(records[0].Text);
    }

    /// <summary>
    /// True when the write of Xid fault <paramref name="fault"/> put its GPU's preamble in the kernel log, or may have: its
    /// first proven record is a preamble line (the preamble comes first; a partial write's landed records count), or its
    /// outcome is unknown at a preamble line (write() returned, or the agent stopped, and the record could not be proven
    /// either way: counted as printed, since a second preamble in one boot is what the driver never prints). False for
    /// a fault nothing of which landed, and for one written without the preamble.
    /// </summary>
    public static bool PrintedBy(FaultRecord fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Kind != FaultKind.Xid)
        {
            return false;
        }

        // Read the held records only when they can hold a preamble: a verified fault of one record is its Xid line alone.
        var count = fault.HeldRecords.Count;
        if (count > 0 && (count > 1 || fault.WriteOutcome != FaultWriteOutcome.Verified) && IsPreamble(fault.Records[0].Text))
        {
            return true;
        }

        return count == 0 && fault.WriteOutcome == FaultWriteOutcome.Unknown && fault.UnconfirmedRecords is [var unknown, ..] && IsPreamble(unknown.Text);
    }

    /// <summary>The ledger's key of a fault's GPU: the Xid line's <c>dddd:bb:dd</c> of its <c>dddd:bb:dd.f</c>; null when it is not one.</summary>
    public static string? XidPciOf(FaultRecord fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return PciAddress.TryParse(fault.PciBusId, out var address) ? address.XidPci : null;
    }
}
