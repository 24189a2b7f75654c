using System.Collections.Concurrent;

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

    private static readonly Lock Gate = new();
    private static readonly ConcurrentDictionary<string, ushort> Indexes = new(StringComparer.Ordinal);

    // Index 0 names no text; a new index is written here before it is published in Indexes.
    private static string[] _texts = new string[16];

    /// <summary>The text <paramref name="index"/> names (1 or more: an index <see cref="TryIndex"/> gave).</summary>
    public static string Of(ushort index) => Volatile.Read(ref _texts)[index];

    /// <summary>The index of <paramref name="text"/>: the kept one, or a new one while there is room; false when there is none.</summary>
    public static bool TryIndex(string text, out ushort index)
    {
        if (text.Length > MaxTextLength)
        {
            index = 0;
            return false;
        }

        if (Indexes.TryGetValue(text, out index))
        {
            return true;
        }

        lock (Gate)
        {
            if (Indexes.TryGetValue(text, out index))
            {
                return true;
            }

            if (Indexes.Count >= Capacity)
            {
                index = 0;
                return false;
            }

            index = (ushort)(Indexes.Count + 1);
            var texts = _texts;
            if (index >= texts.Length)
            {
                Array.Resize(ref texts, Math.Min(texts.Length * 2, Capacity + 1));
            }

            texts[index] = text;
            Volatile.Write(ref _texts, texts);
            Indexes[text] = index;
            return true;
        }
    }
}
