namespace FaultAgent.Registry;

/// <summary>
/// The companion records' texts the registry's faults hold (#14, the agent's memory, faultbytes4): a record that is not
/// the fault's Xid/SXid line — <c>NVRM: GPU 0000:3b:00.0: GPU has fallen off the bus.</c> — is the same for every fault
/// of a GPU and Xid, so a fault whose records and message are held in one array (<see cref="PackedKernelRecords"/>) names it
/// by an index (two bytes) instead of a reference. An index, once given, names the same text for the life of the process;
/// at most <see cref="Capacity"/> texts of at most <see cref="MaxTextLength"/> characters are kept (a fault with a record
/// whose text finds no room, or is longer, keeps its records as before), so callers cannot grow it without bound: at most
/// ~2.3 MB, a few KB for a node's GPUs and Xids.
/// </summary>
internal static class HeldKernelTexts
{
    /// <summary>The most texts kept: far more than a node's GPUs, NVSwitches and Xids give companion records.</summary>
    public const int Capacity = 4096;

    /// <summary>The longest text kept: a companion record is ~50-120 characters.</summary>
    public const int MaxTextLength = 256;

    private static readonly KeptTexts Texts = new(Capacity, MaxTextLength);

    /// <summary>The text <paramref name="index"/> names (1 or more: an index <see cref="TryIndex"/> gave).</summary>
    public static string Of(ushort index) => Texts.Of(index);

    /// <summary>The index of <paramref name="text"/>: the kept one, or a new one (this instance) while there is room; false when there is none.</summary>
    public static bool TryIndex(string text, out ushort index) => Texts.TryIndex(text, text, out index);
}
